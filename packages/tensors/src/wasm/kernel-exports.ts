/** The exports of the kernel module (see src/wasm/kernels.c). @internal */
export interface KernelExports {
  dgemm_work_doubles(): number;
  dgemm(
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: number,
    a1: number,
    a2: number,
    B: number,
    b1: number,
    b2: number,
    beta: number,
    C: number,
    c1: number,
    c2: number,
    work: number,
  ): void;
  dgemv(
    trans: number,
    M: number,
    N: number,
    alpha: number,
    A: number,
    a1: number,
    a2: number,
    x: number,
    beta: number,
    y: number,
  ): void;
  dmask_combine(
    M: number,
    N: number,
    T: number,
    D: number,
    beta: number,
    C: number,
    c1: number,
    c2: number,
  ): void;
  dmask_inplace(n: number, R: number, D: number): void;
  dgated_sum(
    N: number,
    K: number,
    T: number,
    G: number,
    P: number,
    gate: number,
    out: number,
    c: number,
    y: number,
  ): void;
  dgated_expand(
    N: number,
    K: number,
    r: number,
    c: number,
    G: number,
    P: number,
    gate: number,
    out: number,
    M: number,
  ): void;
}
