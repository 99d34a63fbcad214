const c = b * 10;
c + a
