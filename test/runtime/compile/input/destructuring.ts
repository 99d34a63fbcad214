const {a, b: [c, ...d], e = f} = source;
let g, h = 1;
class K { m() { return K + local } }
