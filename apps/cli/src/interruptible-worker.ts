// The worker entry of runInterruptibly (built code); from TypeScript source the runner starts
// job-host.ts through tsx's require hook instead (loader hooks do not reach workers on Node 20).
import { hostJob } from "./job-host.js";

hostJob((module) => import(module));
