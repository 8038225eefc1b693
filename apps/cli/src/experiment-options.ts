import type { AnyOptionSpec, AnyOptionsTable } from "@convexformer/experiments";
import { type Command, InvalidArgumentError, Option } from "commander";
import { choiceOption, decimalOption, integerOption } from "./numeric-options.js";

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function list(option: string, values?: readonly string[]): (value: string) => string[] {
  return (value) => {
    const items = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (items.length === 0)
      throw new InvalidArgumentError(`${option} must be a comma-separated list; got "${value}".`);
    if (values !== undefined)
      for (const item of items)
        if (!values.includes(item))
          throw new InvalidArgumentError(
            `${option}: "${item}" is not one of ${values.join(", ")}.`,
          );
    return items;
  };
}

/** The commander parser of a spec's value (numbers checked as every command checks them). */
function parser(name: string, spec: AnyOptionSpec): ((value: string) => unknown) | undefined {
  switch (spec.kind) {
    case "integer":
      return integerOption(name, spec.min);
    case "decimal": {
      const parse = decimalOption(name, {
        ...(spec.min === undefined ? {} : { min: spec.min }),
        ...(spec.max === undefined ? {} : { max: spec.max }),
        ...(spec.minInclusive === undefined ? {} : { minInclusive: spec.minInclusive }),
        ...(spec.maxInclusive === undefined ? {} : { maxInclusive: spec.maxInclusive }),
      });
      const scale = spec.scale;
      return scale === undefined ? parse : (value) => parse(value) * scale;
    }
    case "choice":
      return choiceOption(name, spec.values ?? []);
    case "list":
      return list(name, spec.values);
    default:
      return undefined;
  }
}

function help(spec: AnyOptionSpec): string {
  const shown = Array.isArray(spec.default) ? spec.default.join(",") : spec.default;
  return shown === undefined ? spec.help : `${spec.help} (default: ${String(shown)})`;
}

/** Where one spec's value lands: its path in the configuration and how to read it. */
interface Reader {
  readonly path: readonly string[];
  readonly read: (options: Record<string, unknown>, args: readonly unknown[]) => unknown;
}

/**
 * Adds an experiment's options (and positional arguments) to its subcommand, from its option
 * table: every entry but the hidden ones, groups flattened, each help line with its default.
 * Returns how to read the configuration back from what commander parsed: the keys given,
 * nested as the table nests them (a group with no key given is left out).
 *
 * @param cmd - the experiment's subcommand
 * @param table - its option table
 */
export function addExperimentOptions(
  cmd: Command,
  table: AnyOptionsTable,
): (options: Record<string, unknown>, args: readonly unknown[]) => Record<string, unknown> {
  const readers: Reader[] = [];
  let argumentCount = 0;
  const walk = (entries: AnyOptionsTable, path: readonly string[]): void => {
    for (const [key, entry] of Object.entries(entries)) {
      if (entry === "hidden") continue;
      if ("group" in entry) {
        walk(entry.group, [...path, key]);
        continue;
      }
      const spec = entry;
      if (spec.argument === true) {
        const index = argumentCount++;
        const flag = spec.flag ?? `<${kebab(key)}>`;
        cmd.argument(flag, help(spec));
        readers.push({ path: [...path, key], read: (_, args) => args[index] });
        continue;
      }
      const flags =
        spec.flag ?? (spec.kind === "switch" ? `--${kebab(key)}` : `--${kebab(key)} <value>`);
      const option = new Option(flags, help(spec));
      const parse = parser(option.long ?? flags, spec);
      if (parse !== undefined) option.argParser(parse);
      if (spec.required === true) option.makeOptionMandatory();
      cmd.addOption(option);
      const name = option.attributeName();
      const negate = option.negate;
      readers.push({
        path: [...path, key],
        read: (o) => {
          const value = o[name];
          if (spec.kind !== "switch") return value;
          if (negate) return value === false ? false : undefined;
          return value === true ? true : undefined;
        },
      });
    }
  };
  walk(table, []);
  return (options, args) => {
    const config: Record<string, unknown> = {};
    for (const { path, read } of readers) {
      const value = read(options, args);
      if (value === undefined) continue;
      let node = config;
      for (const key of path.slice(0, -1)) {
        node[key] ??= {};
        node = node[key] as Record<string, unknown>;
      }
      node[path.at(-1) as string] = value;
    }
    return config;
  };
}
