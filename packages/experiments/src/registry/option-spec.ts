/**
 * How one configuration key of an experiment reaches the command line: its flag, help text,
 * documented default, and how its value is read. The value kind must fit the key's type
 * (`integer`/`decimal` for numbers, `choice`/`text` for strings, `list` for string arrays,
 * `switch` for booleans), so a spec that reads the wrong kind is a compile error.
 *
 * - `flag`: the commander flag, e.g. `"--prime <p>"` (default `--<kebab-case key> <value>`,
 *   or `--<kebab-case key>` for a switch; a switch flag `--no-…` sets `false`).
 * - `default`: the runner's default, shown in `--help` (the runner applies it, not the CLI).
 * - `integer`: a whole number `>= min` (default 1); `decimal`: a number within `min`/`max`
 *   (exclusive unless `minInclusive`/`maxInclusive`), multiplied by `scale` (default 1) on
 *   the way in (e.g. seconds → milliseconds); `choice`: one of `values`; `list`: a
 *   comma-separated list (of `values` when given); `text`: any string, a positional
 *   argument when `argument` is set, required when `required` is set.
 *
 * @typeParam T - the configuration value's type
 * @example
 * ```ts
 * import type { OptionSpec } from "@convexformer/experiments";
 * const prime: OptionSpec<number> = { kind: "integer", min: 2, flag: "--prime <p>", help: "the modulus p", default: 97 };
 * const attention: OptionSpec<"softmax" | "simplex"> = { kind: "choice", values: ["softmax", "simplex"], help: "attention kind" };
 * ```
 */
export type OptionSpec<T> = {
  /** The commander flag (default `--<kebab-case key> <value>`). */
  readonly flag?: string;
  /** One line of help. */
  readonly help: string;
  /** The runner's default, shown in `--help`. */
  readonly default?: T;
} & ValueSpec<T>;

/**
 * How a value of type `T` is read from the command line (see {@link OptionSpec}).
 *
 * @typeParam T - the configuration value's type
 * @example
 * ```ts
 * import type { ValueSpec } from "@convexformer/experiments";
 * const steps: ValueSpec<number> = { kind: "integer" };
 * ```
 */
export type ValueSpec<T> = [T] extends [boolean]
  ? {
      /** A flag without a value. */
      readonly kind: "switch";
    }
  : [T] extends [number]
    ?
        | {
            /** An integer. */
            readonly kind: "integer";
            /** The smallest value accepted. */
            readonly min?: number;
          }
        | {
            /** A decimal number. */
            readonly kind: "decimal";
            /** The lower bound. */
            readonly min?: number;
            /** The upper bound. */
            readonly max?: number;
            /** Whether `min` itself is accepted (default `false`). */
            readonly minInclusive?: boolean;
            /** Whether `max` itself is accepted (default `false`). */
            readonly maxInclusive?: boolean;
            /** The command-line value is multiplied by this (e.g. seconds → ms: 1000). */
            readonly scale?: number;
          }
    : [T] extends [readonly (infer E)[]]
      ? [E] extends [string]
        ? {
            /** A comma-separated list. */
            readonly kind: "list";
            /** The values an entry may take (any string when absent). */
            readonly values?: readonly E[];
          }
        : never
      : [T] extends [string]
        ?
            | {
                /** One of fixed values. */
                readonly kind: "choice";
                /** The values accepted. */
                readonly values: readonly T[];
              }
            | (string extends T
                ? {
                    /** Free text (a path, a name). */
                    readonly kind: "text";
                    /** Given as the command's positional argument instead of a flag. */
                    readonly argument?: boolean;
                    /** Whether the command refuses to run without it. */
                    readonly required?: boolean;
                  }
                : never)
        : never;

/**
 * A group of options for a nested configuration object (e.g. E1's `data`): its own
 * {@link OptionsTable}; the command line flattens it, the configuration nests it.
 *
 * @typeParam T - the nested configuration's type
 * @example
 * ```ts
 * import type { OptionGroup } from "@convexformer/experiments";
 * const data: OptionGroup<{ seed?: number }> = { group: { seed: { kind: "integer", min: 0, help: "seed" } } };
 * ```
 */
export interface OptionGroup<T> {
  /** The nested table. */
  readonly group: OptionsTable<T>;
}

/**
 * One entry of an {@link OptionsTable}: an {@link OptionSpec}, an {@link OptionGroup} for a
 * nested object, or `"hidden"` (settable from the library only).
 *
 * @typeParam T - the configuration value's type
 * @example
 * ```ts
 * import type { OptionEntry } from "@convexformer/experiments";
 * const hidden: OptionEntry<readonly number[]> = "hidden";
 * ```
 */
export type OptionEntry<T> =
  | "hidden"
  | ([T] extends [readonly unknown[]]
      ? OptionSpec<T>
      : [T] extends [object]
        ? OptionGroup<T>
        : OptionSpec<T>);

/**
 * An experiment's option table: every key of its configuration described (as an option,
 * a group, or `"hidden"`). A key the configuration lacks, or one it has that the table misses,
 * is a compile error, so renaming a configuration key cannot leave its flag behind.
 *
 * @typeParam Config - the experiment's configuration type
 * @example
 * ```ts
 * import type { OptionsTable } from "@convexformer/experiments";
 * interface ToyConfig { readonly size?: number; readonly notes?: readonly number[] }
 * const options: OptionsTable<ToyConfig> = { size: { kind: "integer", help: "problem size", default: 3 }, notes: "hidden" };
 * ```
 */
export type OptionsTable<Config> = {
  readonly [K in keyof Config]-?: OptionEntry<NonNullable<Config[K]>>;
};

/**
 * An option table with its configuration type erased, as the registry holds it: what a
 * command-line front end walks to build its flags.
 *
 * @example
 * ```ts
 * import type { AnyOptionsTable } from "@convexformer/experiments";
 * const table: AnyOptionsTable = { seed: { kind: "integer", min: 0, help: "seed" }, notes: "hidden" };
 * ```
 */
export interface AnyOptionsTable {
  readonly [key: string]:
    | "hidden"
    | AnyOptionSpec
    | {
        /** The nested configuration's own table. */
        readonly group: AnyOptionsTable;
      };
}

/**
 * An {@link OptionSpec} with its value type erased (every field of every kind, optional).
 *
 * @example
 * ```ts
 * import type { AnyOptionSpec } from "@convexformer/experiments";
 * const spec: AnyOptionSpec = { kind: "choice", values: ["a", "b"], help: "a or b" };
 * ```
 */
export interface AnyOptionSpec {
  /** The value kind. */
  readonly kind: "switch" | "integer" | "decimal" | "list" | "choice" | "text";
  /** The commander flag. */
  readonly flag?: string;
  /** One line of help. */
  readonly help: string;
  /** The runner's default, shown in `--help`. */
  readonly default?: unknown;
  /** Smallest value (`integer`, `decimal`). */
  readonly min?: number;
  /** Largest value (`decimal`). */
  readonly max?: number;
  /** Whether `min` itself is allowed (`decimal`). */
  readonly minInclusive?: boolean;
  /** Whether `max` itself is allowed (`decimal`). */
  readonly maxInclusive?: boolean;
  /** Factor applied to the value read (`decimal`). */
  readonly scale?: number;
  /** The allowed values (`choice`, `list`). */
  readonly values?: readonly string[];
  /** A positional argument instead of a flag (`text`). */
  readonly argument?: boolean;
  /** Must be given (`text`). */
  readonly required?: boolean;
}
