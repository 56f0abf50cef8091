"""Python twins of core/drift/test-samples.ts and core/random.ts (mulberry32).

Only exact operations sit between the generator and the numbers (uint32 / 2**32, sums of twelve of
them, one multiply and one add), so these reproduce the TypeScript samples bit for bit.
"""
import math


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def rnd():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = ((a ^ (a >> 15)) * (a | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rnd


def normalish(seed, n, mean=0.0, sd=1.0):
    """normalishSample: Irwin–Hall (twelve uniforms minus 6), scaled and shifted."""
    r = mulberry32(seed)
    out = []
    for _ in range(n):
        s = 0.0
        for _ in range(12):
            s += r()
        out.append((s - 6) * sd + mean)
    return out


def integers(seed, n, k):
    """integerSample: integers 0 … k−1 as floats."""
    r = mulberry32(seed)
    return [float(math.floor(r() * k)) for _ in range(n)]


def sample_of(spec):
    """A sample from its spec as the fixtures write it: a list of values, or {"normalish": args} / {"integers": args}."""
    if isinstance(spec, list):
        return [float(v) for v in spec]
    (kind, args), = spec.items()
    return {"normalish": normalish, "integers": integers}[kind](*args)
