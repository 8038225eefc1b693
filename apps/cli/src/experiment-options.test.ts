import { EXPERIMENTS } from "@convexformer/experiments/node";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addExperimentOptions } from "./experiment-options.js";

function parse(name: string, args: string[]) {
  const experiment = EXPERIMENTS.find((e) => e.name === name);
  if (experiment === undefined) throw new Error(name);
  const cmd = new Command(name).exitOverride().configureOutput({ writeErr: () => {} });
  const read = addExperimentOptions(cmd, experiment.options);
  let config: Record<string, unknown> = {};
  cmd.action((...a: unknown[]) => {
    config = read(cmd.opts(), a);
  });
  cmd.parse(args, { from: "user" });
  return { cmd, config };
}

describe("addExperimentOptions", () => {
  it("reads only the keys given, nesting groups as the table does", () => {
    expect(parse("e1", []).config).toEqual({});
    expect(parse("e1", ["--seed", "3", "--steps", "20", "--solvers", "fista,admm"]).config).toEqual(
      { steps: 20, solvers: ["fista", "admm"], data: { seed: 3 } },
    );
  });

  it("maps switches, negated switches, scaled values and positional arguments", () => {
    expect(parse("e2", ["--no-stop", "--op", "+"]).config).toEqual({
      operator: "+",
      stopAtGeneralization: false,
    });
    expect(parse("e3", ["--adam", "--time-limit", "2.5"]).config).toEqual({
      adam: true,
      timeLimitMs: 2500,
    });
    expect(parse("text", ["r.jsonl", "--embeddings", "wink"]).config).toEqual({
      records: "r.jsonl",
      embeddings: "wink",
    });
  });

  it("shows every option's default in --help and leaves hidden keys out", () => {
    const help = parse("e2", []).cmd.helpInformation();
    expect(help).toMatch(/--prime <p> +the modulus p \(default: 97\)/);
    expect(help).toMatch(/--attention <kind> +attention kind \(default: softmax\)/);
    expect(help).not.toMatch(/--batch-size/);
  });

  it("rejects bad values naming the flag", () => {
    expect(() => parse("e2", ["--attention", "sparse"])).toThrow(
      /--attention must be one of softmax, simplex; got "sparse"/,
    );
    expect(() => parse("e3", ["--sizes", "huge"])).toThrow(/--sizes: "huge" is not one of/);
  });
});
