"""Grouped bars: median wall time per backend with 95% CI whiskers and the ideal time."""
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
        fig, ax = plt.subplots(figsize=(7, 4))
        names = [common.label(c) for c in cells]
        for i, c in enumerate(cells):
            if c["median_wall_s"] is None:
                ax.bar(i, 0, color=common.colour(c["backend"]))
                ax.annotate(common.short(c["status"] + ": " + c["first_error"], 40), (i, 0),
                            rotation=90, va="bottom", ha="center", fontsize=7, color="#b00")
                continue
            med = c["median_wall_s"]
            err = [[med - c["ci_low_s"]], [c["ci_high_s"] - med]]
            ax.bar(i, med, color=common.colour(c["backend"]), yerr=err, capsize=4)
        ideals = [c["ideal_wall_s"] for c in cells if c["ideal_wall_s"] is not None]
        if ideals:
            ax.axhline(min(ideals), ls="--", color="black", lw=1, label="ideal (lower bound)")
            ax.legend(loc="upper right", fontsize=8)
        ax.set_xticks(range(len(cells)), names, rotation=20, ha="right")
        common.log_if_wide(ax, [c["median_wall_s"] for c in cells] + ideals)
        ax.set_ylabel("median wall time (s)")
        title = f"{cells[0]['workload']}: {common.params_text(cells[0]['params'])}"
        ax.set_title(common.short(title, 80), fontsize=10)
        common.save(fig, args.out, f"bars-{cells[0]['workload']}-{n}", index,
                    {"kind": "bars", "group": cells[0]["group"], "workload": cells[0]["workload"],
                     "title": title})
    common.write_index(args.out, "bars", index)


if __name__ == "__main__":
    main()
