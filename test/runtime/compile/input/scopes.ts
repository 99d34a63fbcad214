function f(x) {
  const y = x + outer;
  try { g(y) } catch (err) { log(err) }
  for (const i of list) use(i, arguments.length);
  return y;
}
