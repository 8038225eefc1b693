import type { Checkpoint, JsonValue } from "@convexformer/io";
import { InvalidOptionError } from "@convexformer/tensors";
import { asRecord, type RunnerHooks } from "./experiment-result.js";

/**
 * The checkpoint of a student comparison: the finished phases (by name) and the running
 * Adam phase's training checkpoint, all in the one store of the run's hooks.
 */
export interface StudentCheckpoint {
  /** Finished phases: name → their outcome (JSON). */
  readonly done: Record<string, JsonValue>;
  /**
   * The stored training checkpoint of the phase `name` when it was the one running.
   *
   * @param name - the phase (`simplex@0.01`, …)
   */
  resumeOf(name: string): Checkpoint | undefined;
  /**
   * Saves the finished phases, and the running phase's training checkpoint when given.
   *
   * @param current - the running phase and its training checkpoint
   */
  save(current?: { readonly name: string; readonly checkpoint: Checkpoint }): Promise<void>;
}

/**
 * Loads the comparison's checkpoint from the hooks' store when resuming (none otherwise).
 *
 * @param hooks - the run's hooks (`checkpoint`, `resume`)
 * @param configKey - identifies the configuration; a checkpoint of another one is refused
 * @throws `InvalidOptionError` for a checkpoint made with a different configuration
 */
export async function loadStudentCheckpoint(
  hooks: RunnerHooks,
  configKey: string,
): Promise<StudentCheckpoint> {
  const stored = hooks.resume === true ? await hooks.checkpoint?.load() : undefined;
  const storedMeta = asRecord(stored?.meta);
  if (stored !== undefined && storedMeta?.config !== configKey) {
    throw new InvalidOptionError(
      "resume",
      storedMeta?.config,
      "the checkpoint was made with a different E1 configuration",
    );
  }
  const done: Record<string, JsonValue> = { ...(asRecord(storedMeta?.done) ?? {}) };
  return {
    done,
    resumeOf: (name) =>
      stored !== undefined && storedMeta?.current === name
        ? { meta: storedMeta.train ?? null, arrays: stored.arrays }
        : undefined,
    save: async (current) => {
      await hooks.checkpoint?.save({
        meta: {
          config: configKey,
          done,
          ...(current === undefined
            ? {}
            : { current: current.name, train: current.checkpoint.meta }),
        },
        arrays: current?.checkpoint.arrays ?? {},
      });
    },
  };
}
