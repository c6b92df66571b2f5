"""CPU time (user + sys) beside wall time per backend: who waits and who burns."""
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
        cells = [c for c in cells if c["median_wall_s"] is not None and c["cpu_s"] is not None]
        if not cells:
            continue
        fig, ax = plt.subplots(figsize=(7, 4))
        for i, c in enumerate(cells):
            col = common.colour(c["backend"])
            ax.bar(i - 0.2, c["median_wall_s"], 0.4, color=col, label="wall" if i == 0 else None)
            ax.bar(i + 0.2, c["user_s"], 0.4, color=col, alpha=0.45, hatch="//",
                   label="CPU user" if i == 0 else None)
            ax.bar(i + 0.2, c["sys_s"], 0.4, bottom=c["user_s"], color=col, alpha=0.25,
                   hatch="..", label="CPU sys" if i == 0 else None)
        ax.set_xticks(range(len(cells)), [common.label(c) for c in cells], rotation=20, ha="right")
        common.log_if_wide(ax, [c["median_wall_s"] for c in cells] + [c["cpu_s"] for c in cells])
        ax.set_ylabel("seconds (median)")
        ax.legend(fontsize=8)
        title = f"{cells[0]['workload']} CPU vs wall: {common.params_text(cells[0]['params'])}"
        ax.set_title(common.short(title, 80), fontsize=10)
        common.save(fig, args.out, f"cpu-{cells[0]['workload']}-{n}", index,
                    {"kind": "cpu", "group": cells[0]["group"], "workload": cells[0]["workload"],
                     "title": title})
    common.write_index(args.out, "cpu", index)


if __name__ == "__main__":
    main()
