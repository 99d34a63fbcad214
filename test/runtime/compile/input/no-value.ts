display(1);
console.log("side effect");
