"""Per-task (per-request) latency p50/p90/p99 per backend, for workloads that report it."""
import argparse

import common
from common import plt


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("summary", help="summary.json")
    ap.add_argument("out", help="folder for the charts")
    args = ap.parse_args()
    index = []
    for n, cells in enumerate(common.groups(common.load(args.summary))):
        cells = [c for c in cells if c["p50_s"] is not None]
        if not cells:
            continue
        fig, ax = plt.subplots(figsize=(7, 4))
        width = 0.8 / 3
        for q, (key, hatch) in enumerate((("p50_s", ""), ("p90_s", "//"), ("p99_s", "xx"))):
            for i, c in enumerate(cells):
                ax.bar(i + (q - 1) * width, c[key] * 1e3, width, color=common.colour(c["backend"]),
                       hatch=hatch, edgecolor="white", label=key[:3] if i == 0 else None)
        ax.set_xticks(range(len(cells)), [common.label(c) for c in cells], rotation=20, ha="right")
        common.log_if_wide(ax, [c[k] for c in cells for k in ("p50_s", "p99_s")])
        ax.set_ylabel("task latency (ms)")
        ax.legend(title="percentile", fontsize=8)
        title = f"{cells[0]['workload']} latency: {common.params_text(cells[0]['params'])}"
        ax.set_title(common.short(title, 80), fontsize=10)
        common.save(fig, args.out, f"latency-{cells[0]['workload']}-{n}", index,
                    {"kind": "latency", "group": cells[0]["group"],
                     "workload": cells[0]["workload"], "title": title})
    common.write_index(args.out, "latency", index)


if __name__ == "__main__":
    main()
