"""The micro-suite chart: ns per operation, a group of bars per primitive, a bar per backend,
on a log scale (the figures span from nanoseconds to tens of microseconds).

Reads micro_summary.json (written by `concbench report` from Google Benchmark's micro.json);
writes micro.png and micro.svg into the output folder. A cell without a figure (not
applicable, failed, not run) has no bar.
"""
import json
import os

import common

plt = common.plt


def main():
    args = common.arguments(__doc__)
    try:
        with open(args.summary, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        common.fail(f"cannot read {args.summary}: {e}")
    backends, rows = data.get("backends"), data.get("rows")
    if not isinstance(backends, list) or not isinstance(rows, list):
        common.fail(f"{args.summary} has no backends and rows")
    width = 0.8 / max(len(backends), 1)
    fig, ax = plt.subplots(figsize=(max(7, 1.1 * len(rows)), 4.5))
    drawn = False
    for b, backend in enumerate(backends):
        xs, ys = [], []
        for r, row in enumerate(rows):
            v = row.get("real_ns", {}).get(backend) if isinstance(row, dict) else None
            if common.is_number(v) and v > 0:
                xs.append(r - 0.4 + width * (b + 0.5))
                ys.append(v)
        if xs:
            ax.bar(xs, ys, width, label=common.text(backend), color=common.colour(backend))
            drawn = True
    if not drawn:
        common.fail(f"{args.summary} has no figure to draw")
    ax.set_yscale("log")
    ax.set_ylabel("ns per operation (log scale)")
    ax.set_xticks(range(len(rows)),
                  [common.short(row.get("primitive", "?"), 24) for row in rows],
                  rotation=20, ha="right")
    ax.set_title("micro-benchmarks: ns per operation (lower is better)", fontsize=10)
    ax.legend(fontsize=8, ncol=min(len(backends), 4))
    ax.grid(axis="y", which="major", alpha=0.3)
    os.makedirs(args.out, exist_ok=True)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(args.out, f"micro.{ext}"), dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    common.run(main)
