import { createRng, initTfjs } from "/work/main/packages/tensors/src/index.ts";
const r = createRng(42);
console.log([r.uniform(), r.uniform(), r.uniform()]);
console.log(createRng(42).permutation(10).join(","), createRng(42).integer(0,1000), createRng(-1).uniform(), createRng(2**40).uniform(), createRng(0).uniform());
const n = createRng(7); let s=0,s2=0; const N=1e6; for(let i=0;i<N;i++){const z=n.normal(); s+=z; s2+=z*z;} console.log(s/N, s2/N);
const h = await initTfjs(); console.log(h.backend, h.fallbackReason);
const h2 = await initTfjs(); console.log(h===h2);
try { await initTfjs({backend:"cpu"}); } catch(e) { console.log(e.message); }
