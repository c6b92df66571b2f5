"""Wall time and peak memory against a parameter swept over 3 or more values, a line per
backend; log-log where the swept range spans 100x or more; failed points marked."""
from collections import defaultdict

import common
from common import plt


def numeric(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def sweeps(cells):
    """(workload, swept param, fixed params text, cells) for each sweep of 3+ values."""
    by_workload = defaultdict(list)
    for c in cells:
        by_workload[c["workload"]].append(c)
    for workload, wcells in by_workload.items():
        for p in wcells[0]["params"]:
            swept = [c for c in wcells if numeric(c["params"].get(p))]
            if len({c["params"][p] for c in swept}) < 3:
                continue
            fixed = defaultdict(list)
            for c in swept:
                rest = {k: v for k, v in c["params"].items() if k != p}
                fixed[common.params_text(rest)].append(c)
            for rest, group in fixed.items():
                if len({c["params"][p] for c in group}) >= 3:
                    yield workload, p, rest, group


def main():
    args = common.arguments(__doc__)
    index = []
    for n, (workload, p, rest, group) in enumerate(sweeps(common.load(args.summary))):
        fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4))
        lines = defaultdict(list)
        for c in group:
            lines[common.label(c)].append(c)
        xs_all = [c["params"][p] for c in group]
        log = min(xs_all) > 0 and max(xs_all) / min(xs_all) >= 100
        for name, cs in lines.items():
            cs.sort(key=lambda c: c["params"][p])
            col = common.colour(cs[0]["backend"])
            ok = [c for c in cs if c["median_wall_s"] is not None]
            ax_t.plot([c["params"][p] for c in ok], [c["median_wall_s"] for c in ok], "o-",
                      color=col, label=name)
            mem = [c for c in cs if c["peak_rss_bytes"] is not None]
            ax_m.plot([c["params"][p] for c in mem], [c["peak_rss_bytes"] / 2**20 for c in mem],
                      "o-", color=col, label=name)
            for c in cs:
                if c["median_wall_s"] is None:  # failed: marked where the line stops
                    y = ok[-1]["median_wall_s"] if ok else 1e-3
                    ax_t.plot([c["params"][p]], [y], "x", color="#b00", ms=10, mew=2)
                    ax_t.annotate(common.short(c["status"] + ": " + c["first_error"], 60),
                                  (c["params"][p], y), fontsize=7, color="#b00",
                                  xytext=(-4, 6), textcoords="offset points", ha="right")
        for ax, key, scale in ((ax_t, "median_wall_s", 1), (ax_m, "peak_rss_bytes", 2**20)):
            if log:  # log-log; the y axis only where its values spread widely too
                ax.set_xscale("log")
                common.log_if_wide(ax, [c[key] / scale for c in group if c[key]], span=10)
            ax.set_xlabel(common.text(p))
            ax.grid(alpha=0.3)
        ax_t.set_ylabel("median wall time (s)")
        ax_m.set_ylabel("peak RSS (MiB)")
        ax_t.legend(fontsize=8)
        title = f"{workload}: {p} swept" + (f" ({rest})" if rest else "")
        fig.suptitle(common.short(title, 100), fontsize=10)
        common.save(fig, args.out, f"sweep-{workload}-{p}-{n}", index,
                    {"kind": "sweep", "workload": workload, "param": p, "title": title})
    common.write_index(args.out, "sweep", index)
    common.finish()


if __name__ == "__main__":
    common.run(main)
