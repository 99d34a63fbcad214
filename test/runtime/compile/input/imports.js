import {max as m} from "https://example.org/x.js";
import * as all from "https://example.org/y.js";
m(all)
