"""Reference values of the drift tests (core/drift/*.test.ts) from SciPy and NumPy, and from Evidently's
stattests as its source writes them (Evidently itself is not needed: its formulas are spelled out
below). Each key is a constant of a fixture module core/drift/<name>.reference.ts and has its shape.
The constants were first printed with SciPy 1.17.1; Debian 12's SciPy 1.10.1 agrees with them to 1e-12
relative (tests/reference/reference.test.ts checks that).

Run: /usr/bin/python3 tests/reference/drift.py   (needs python3-scipy, python3-numpy)
"""
import numpy as np
from scipy import special, stats
from scipy.spatial import distance

from common import emit
from samples import sample_of

# --- distributions and special functions -------------------------------------------------------

LOG_GAMMA = [0.5, 1.5, 3, 10.5, 100, 1234.5]
INCOMPLETE_GAMMA = [(0.5, 0.1), (1, 1), (2.5, 0.5), (10, 15), (50, 30), (100, 140)]
CHI_SQUARE_SF = [(3.841458820694124, 1),  # chi2.isf(0.05, 1) as SciPy 1.17.1 gives it
                 (0.5, 3), (10, 4), (50, 9), (300, 20), (1e-3, 2), (800, 99)]
NORMAL_SF = [-3, -1.96, 0, 0.5, 1.96, 5, 12]
SMIRNOV = [(5, 0.1), (100, 0.05), (100, 0.3), (1000, 0.05), (10, 0.95)]
KOLMOGOROV_SF = [(10, 0.07), (10, 0.3), (100, 0.06), (100, 0.15), (100, 0.3), (100, 0.6), (1000, 0.02), (1000, 0.05),
                 (5000, 0.01), (5000, 0.03), (200000, 0.002), (20, 0.99)]
PSI = [([50, 30, 20], [45, 35, 20]), ([50, 30, 20], [20, 30, 50]), ([1000, 0, 10], [900, 50, 0]), ([1000000, 1, 0], [5, 5, 5])]
JENSEN_SHANNON = [([10, 20, 30], [30, 20, 10]), ([5, 0, 5], [0, 10, 0]), ([120, 80, 0, 3], [100, 90, 7, 0])]

# --- Evidently's stattests -----------------------------------------------------------------------


def evidently_chisquare(reference_counts, current_counts):
    """chi_stat_test: chisquare(current, reference scaled to the current total)."""
    ref = np.asarray(reference_counts, dtype=float)
    cur = np.asarray(current_counts, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = stats.chisquare(cur, ref * cur.sum() / ref.sum())
    return r.statistic, r.pvalue


def evidently_z(other1, n1, other2, n2):
    """z_stat_test: proportions_diff_z_stat_ind, two-sided p as 2·norm.sf(|z|)."""
    p1, p2 = other1 / n1, other2 / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    return z, 2 * stats.norm.sf(abs(z))


def evidently_normed_wasserstein(a, b):
    """wasserstein_distance_norm: the distance over the reference's population std, floored at 0.001."""
    return stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)


def shares_without_zeros(counts):
    """get_binned_data(feel_zeroes=True): shares, an empty bin given 0.0001 or a millionth of the smallest share."""
    shares = np.asarray(counts, dtype=float) / np.sum(counts)
    smallest = min(shares[shares != 0])
    np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return shares


def evidently_psi(reference_counts, current_counts):
    ref, cur = shares_without_zeros(reference_counts), shares_without_zeros(current_counts)
    return np.sum((ref - cur) * np.log(ref / cur))


def sturges_counts(reference, current):
    """get_binned_data for a numeric feature with > 20 values: Sturges bins over both samples pooled."""
    edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
    return np.histogram(reference, edges)[0], np.histogram(current, edges)[0]


def value_counts(reference, current):
    """get_binned_data for few values or categories: counts per value over the sorted union of both sides."""
    keys = sorted(set(reference) | set(current))
    return [reference.count(k) for k in keys], [current.count(k) for k in keys]


def category_counts(reference, current):
    """Counts of {category: count} records over their sorted union."""
    keys = sorted(set(reference) | set(current))
    return [reference.get(k, 0) for k in keys], [current.get(k, 0) for k in keys]


def baseline_bin_counts(reference, current, edges):
    """Counts over the training profile's fixed bins, with an overflow/underflow bin when either side has one."""
    def layout(values, under, over):
        counts = list(np.histogram(values, edges)[0])
        return ([sum(v < edges[0] for v in values)] if under else []) + counts + ([sum(v > edges[-1] for v in values)] if over else [])
    under = any(v < edges[0] for v in reference + current)
    over = any(v > edges[-1] for v in reference + current)
    return layout(reference, under, over), layout(current, under, over)


def ks_case(a, b, mode=None):
    case = {"a": a, "b": b}
    if mode:
        case["mode"] = mode
    r = stats.ks_2samp(sample_of(a), sample_of(b), method=mode or "auto")
    return {**case, "statistic": r.statistic, "pValue": r.pvalue}


def wasserstein_case(a, b):
    x, y = sample_of(a), sample_of(b)
    return {"a": a, "b": b, "distance": stats.wasserstein_distance(x, y), "normed": evidently_normed_wasserstein(x, y)}


def feature_drift_cases():
    edges = np.linspace(-4, 4, 17)
    out = {}

    ref, cur = {"normalish": [30, 500]}, {"normalish": [31, 300, 0.3]}
    r = stats.ks_2samp(sample_of(ref), sample_of(cur))
    out["ks"] = {"reference": ref, "current": cur, "statistic": r.statistic, "pValue": r.pvalue,
                 "psi": evidently_psi(*sturges_counts(sample_of(ref), sample_of(cur)))}

    ref = {"normalish": [32, 5000]}
    for name, cur in (("wassersteinQuiet", {"normalish": [33, 800]}), ("wassersteinShifted", {"normalish": [34, 800, 0.5, 1.3]})):
        counts = baseline_bin_counts(sample_of(ref), sample_of(cur), edges)
        out[name] = {"reference": ref, "current": cur, "statistic": evidently_normed_wasserstein(sample_of(ref), sample_of(cur)),
                     "psi": evidently_psi(*counts)}
    cur = {"normalish": [34, 800, 0.5, 1.3]}
    out["jensenShannonBinned"] = {"reference": ref, "current": cur,
                                  "statistic": distance.jensenshannon(*baseline_bin_counts(sample_of(ref), sample_of(cur), edges))}

    ref, cur = {"a": 50, "b": 30, "c": 20}, {"a": 20, "b": 30, "c": 50}
    statistic, p = evidently_chisquare(*category_counts(ref, cur))
    out["chiSquare"] = {"reference": ref, "current": cur, "statistic": statistic, "pValue": p, "psi": evidently_psi(*category_counts(ref, cur))}

    ref, cur = {"yes": 40, "no": 60}, {"yes": 55, "no": 65}
    (ref_counts, cur_counts) = category_counts(ref, cur)  # sorted ['no', 'yes']: the share of the second, 'yes'
    z, p = evidently_z(ref_counts[1], sum(ref_counts), cur_counts[1], sum(cur_counts))
    out["zTest"] = {"reference": ref, "current": cur, "statistic": z, "pValue": p}

    ref, cur = {"x": 600, "y": 400, "z": 200}, {"x": 30, "y": 50, "z": 40, "__other__": 5}
    out["jensenShannonCategories"] = {"reference": ref, "current": cur, "statistic": distance.jensenshannon(*category_counts(ref, cur)),
                                      "psi": evidently_psi(*category_counts(ref, cur))}

    for name, ref, cur in (("chiSquareValues", {"integers": [34, 300, 4]}, {"integers": [35, 200, 4]}),
                           ("unseenValue", {"integers": [34, 300, 4]}, {"integers": [35, 200, 5]})):
        counts = value_counts(sample_of(ref), sample_of(cur))
        statistic, p = evidently_chisquare(*counts)
        out[name] = {"reference": ref, "current": cur, "statistic": statistic, "pValue": p, "psi": evidently_psi(*counts)}

    ref, cur = {"integers": [36, 3000, 3]}, {"integers": [37, 400, 3]}
    counts = value_counts(sample_of(ref), sample_of(cur))
    out["jensenShannonValues"] = {"reference": ref, "current": cur, "statistic": distance.jensenshannon(*counts), "psi": evidently_psi(*counts)}

    ref, cur = {"integers": [38, 400, 2]}, {"integers": [39, 300, 2]}
    ref_counts, cur_counts = value_counts(sample_of(ref), sample_of(cur))  # values [0.0, 1.0]: the share of 1.0
    z, p = evidently_z(ref_counts[1], sum(ref_counts), cur_counts[1], sum(cur_counts))
    out["zTestValues"] = {"reference": ref, "current": cur, "statistic": z, "pValue": p}

    ref, cur = {"a": 50, "b": 30, "c": 20}, {"a": 45, "b": 35, "c": 20}
    out["psiOverride"] = {"reference": ref, "current": cur, "statistic": evidently_psi(*category_counts(ref, cur))}
    return out


def sturges_histogram(spec):
    a = sample_of(spec)
    edges = np.histogram_bin_edges(a, bins="sturges")
    return {"sample": spec, "edges": edges, "counts": np.histogram(a, edges)[0]}


def main():
    unseen = evidently_chisquare([60, 40, 0], [30, 20, 1])
    z_underflow = evidently_z(1, 1000, 999, 1000)
    emit({
        "LOG_GAMMA_CASES": [[x, special.gammaln(x)] for x in LOG_GAMMA],
        "INCOMPLETE_GAMMA_CASES": [[a, x, special.gammaincc(a, x), special.gammainc(a, x)] for a, x in INCOMPLETE_GAMMA],
        "CHI_SQUARE_SF_CASES": [[x, dof, stats.chi2.sf(x, dof)] for x, dof in CHI_SQUARE_SF],
        "NORMAL_SF_CASES": [[z, stats.norm.sf(z)] for z in NORMAL_SF],
        "SMIRNOV_CASES": [[n, d, special.smirnov(n, d)] for n, d in SMIRNOV],
        "KOLMOGOROV_SF_CASES": [[n, d, stats.kstwo.sf(d, n)] for n, d in KOLMOGOROV_SF],
        "JENSEN_SHANNON_CASES": [[p, q, distance.jensenshannon(p, q), distance.jensenshannon(p, q, 2)] for p, q in JENSEN_SHANNON],
        "PSI_CASES": [[ref, cur, evidently_psi(ref, cur)] for ref, cur in PSI],
        "STURGES_HISTOGRAM_CASES": {"normalish": sturges_histogram({"normalish": [20, 100, 3, 2]}), "constant": sturges_histogram([5, 5, 5])},
        "CHI_SQUARE_TEST_CASES": [[ref, cur, *evidently_chisquare(ref, cur)]
                                  for ref, cur in (([50, 30, 20], [45, 35, 20]), ([50, 30, 20], [20, 30, 50]), ([500, 300, 200], [40, 35, 25]))],
        "CHI_SQUARE_UNSEEN_CATEGORY": {"reference": [60, 40, 0], "current": [30, 20, 1], "statistic": unseen[0], "pValue": unseen[1]},
        "Z_TEST_CASES": [[a, n1, b, n2, *evidently_z(a, n1, b, n2)] for a, n1, b, n2 in ((40, 100, 55, 120), (10, 100, 15, 100), (300, 1000, 200, 1000))],
        "Z_TEST_UNDERFLOW": [1, 1000, 999, 1000, *z_underflow],
        "KS_CASES": {
            "exactUnequal": ks_case({"normalish": [1, 50]}, {"normalish": [2, 60, 0.5]}),
            "exactEqual": ks_case({"normalish": [3, 80]}, {"normalish": [4, 80, 0.3]}),
            "ties": ks_case({"integers": [5, 200, 10]}, {"integers": [6, 150, 12]}),
            "identical": ks_case({"normalish": [14, 100]}, {"normalish": [14, 100]}),
            "disjoint": ks_case({"normalish": [8, 40]}, {"normalish": [9, 30, 100]}),
            "large": ks_case({"normalish": [10, 3000]}, {"normalish": [11, 4000, 0.05]}),
            "beyondExact": ks_case({"normalish": [12, 12000]}, {"normalish": [13, 11000, 0.03]}),
            "asymptotic": ks_case({"normalish": [10, 3000]}, {"normalish": [11, 4000, 0.05]}, "asymp"),
            "singleValues": ks_case([1], [2]),
        },
        "WASSERSTEIN_CASES": {
            "small": wasserstein_case({"normalish": [1, 50]}, {"normalish": [2, 60, 0.5, 2]}),
            "ties": wasserstein_case({"integers": [5, 200, 10]}, {"integers": [6, 150, 12]}),
            "large": wasserstein_case({"normalish": [10, 3000]}, {"normalish": [11, 4000, 0.05]}),
            "constantReference": wasserstein_case([2, 2, 2, 2, 2], [2, 2.5]),
        },
        "FEATURE_DRIFT_CASES": feature_drift_cases(),
    })


if __name__ == "__main__":
    main()
