import { InvalidOptionError } from "@convexformer/tensors";
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import { type AdmmOptions, admm } from "./admm/admm.js";
import { type FistaOptions, fista } from "./fista/fista.js";
import { type IpmOptions, ipm } from "./ipm/ipm.js";
import { getSolver, listSolvers, registerSolver } from "./registry.js";
import type { SolveOptions, Solver } from "./solver.js";
import type { SolverName } from "./solver-options-map.js";
import { specInstance1 } from "./testing/index.js";

/** A contributed solver's options, merged into the map the way the docs show. */
interface EchoOptions extends SolveOptions {
  readonly echo?: number;
}

declare module "./solver-options-map.js" {
  interface SolverOptionsMap {
    "registry-test-echo": EchoOptions;
  }
}

const echo: Solver<EchoOptions> = {
  name: "registry-test-echo",
  solve: (problem, options = {}) => {
    const { echo: _echo, ...shared } = options;
    return { ...fista.solve(problem, shared), solver: "registry-test-echo" };
  },
};

describe("registry", () => {
  it("types getSolver by the name → options map", () => {
    expectTypeOf(getSolver("fista")).toEqualTypeOf<Solver<FistaOptions>>();
    expectTypeOf(getSolver("admm")).toEqualTypeOf<Solver<AdmmOptions>>();
    expectTypeOf(getSolver("ipm")).toEqualTypeOf<Solver<IpmOptions>>();
    // (not called: registered by a later test)
    expectTypeOf(() => getSolver("registry-test-echo")).returns.toEqualTypeOf<
      Solver<EchoOptions>
    >();
    expectTypeOf(() => getSolver("someone-elses" as string)).returns.toEqualTypeOf<Solver>();
    expectTypeOf<"admm">().toExtend<SolverName>();
    // solver-specific options type-check without casts, misspelled ones do not
    const problem = specInstance1().problem;
    expect(getSolver("admm").solve(problem, { tolerance: 1e-9, relaxation: 1.5 }).status).toBe(
      "converged",
    );
    expect(getSolver("ipm").solve(problem, { tolerance: 1e-10, cleanup: false }).status).toBe(
      "converged",
    );
    // @ts-expect-error: relaxation is an ADMM option, not an interior-point one
    expect(() => getSolver("ipm").solve(problem, { relaxation: 1.5 })).toThrow(/relaxation/);
  });

  it("holds the built-in solvers, in order", () => {
    expect(getSolver("fista")).toBe(fista);
    expect(getSolver("admm")).toBe(admm);
    expect(getSolver("ipm")).toBe(ipm);
    expect(listSolvers().slice(0, 3)).toEqual(["fista", "admm", "ipm"]);
  });

  it("names the caller's argument and the registered solvers for an unknown name", () => {
    expect(() => getSolver("nope")).toThrow(InvalidOptionError);
    expect(() => getSolver("nope")).toThrow(
      /^name = "nope": no solver of that name; registered: fista, admm, ipm/,
    );
    let error: unknown;
    try {
      getSolver("fsta", { argument: "options.solver" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).code).toBe("invalid-option");
    expect((error as InvalidOptionError).argument).toBe("options.solver");
    expect((error as Error).message).toMatch(/^options\.solver = "fsta": no solver of that name/);
    expect(() => getSolver(5 as unknown as string, { argument: "--solver" })).toThrow(
      /^--solver = 5/,
    );
  });

  it("rejects a duplicate registration unless asked to replace, and malformed solvers", () => {
    expect(() => registerSolver(fista)).toThrow(/solver\.name = "fista": is already registered/);
    registerSolver(echo);
    expect(getSolver("registry-test-echo")).toBe(echo);
    expect(() => registerSolver(echo)).toThrow(InvalidOptionError);
    const replacement: Solver<EchoOptions> = { ...echo };
    registerSolver(replacement, { replace: true });
    expect(getSolver("registry-test-echo")).toBe(replacement);
    expect(getSolver("registry-test-echo").solve(specInstance1().problem, { echo: 1 }).solver).toBe(
      "registry-test-echo",
    );
    expect(() => registerSolver({ name: "", solve: fista.solve })).toThrow(/solver\.name/);
    expect(() => registerSolver({ name: "x" } as unknown as Solver)).toThrow(/^solver = /);
    expect(() => registerSolver(null as unknown as Solver)).toThrow(InvalidOptionError);
  });

  it("is one registry per process: a second copy of the package shares it", async () => {
    const key = Symbol.for("@convexformer/solvers/registry@1");
    const shared = (globalThis as Record<symbol, unknown>)[key];
    expect(shared).toBeInstanceOf(Map);
    expect(Object.keys(globalThis)).not.toContain(key.toString());
    // a fresh module graph is what a second installed copy of the package amounts to
    vi.resetModules();
    const copy = (await import("./registry.js")) as typeof import("./registry.js");
    const copyFista = (await import("./fista/fista.js")).fista;
    expect(copyFista).not.toBe(fista); // really another copy
    // the copy sees what this one registered, and the built-ins stay the first copy's
    expect(copy.getSolver("fista")).toBe(fista);
    expect(copy.listSolvers()).toEqual(listSolvers());
    const late: Solver = { name: "registry-test-late", solve: fista.solve };
    copy.registerSolver(late);
    expect(getSolver("registry-test-late")).toBe(late);
    // a duplicate is an error across copies too
    expect(() => registerSolver(late)).toThrow(InvalidOptionError);
    expect((globalThis as Record<symbol, unknown>)[key]).toBe(shared);
  });
});
