"""Per-task (per-request) latency p50/p90/p99 per backend, for workloads that report it."""
from matplotlib.patches import Patch

import common

PERCENTILES = (("p50_s", "p50", ""), ("p90_s", "p90", "//"), ("p99_s", "p99", "xx"))


def draw(ax, cells):
    width = 0.8 / 3
    for q, (key, _, hatch) in enumerate(PERCENTILES):
        for i, c in enumerate(cells):
            ax.bar(i + (q - 1) * width, c[key] * 1e3, width, color=common.colour(c["backend"]),
                   hatch=hatch, edgecolor="white")
    common.log_if_wide(ax, [c[k] for c in cells for k in ("p50_s", "p99_s")])
    ax.set_ylabel("task latency (ms)")
    # The colours are the backends'; the legend explains the hatching only.
    ax.legend(handles=[Patch(facecolor="#999", edgecolor="white", hatch=h, label=name)
                       for _, name, h in PERCENTILES], title="percentile", fontsize=8)
    return "latency"


if __name__ == "__main__":
    common.run(lambda: common.per_group_main(__doc__, "latency", draw,
                                             keep=lambda c: c["p50_s"] is not None))
