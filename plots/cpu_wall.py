"""CPU time (user + sys) beside wall time per backend: who waits and who burns."""
import common


def draw(ax, cells):
    for i, c in enumerate(cells):
        col = common.colour(c["backend"])
        ax.bar(i - 0.2, c["median_wall_s"], 0.4, color=col, label="wall" if i == 0 else None)
        ax.bar(i + 0.2, c["user_s"], 0.4, color=col, alpha=0.45, hatch="//",
               label="CPU user" if i == 0 else None)
        ax.bar(i + 0.2, c["sys_s"], 0.4, bottom=c["user_s"], color=col, alpha=0.25, hatch="..",
               label="CPU sys" if i == 0 else None)
    common.log_if_wide(ax, [c["median_wall_s"] for c in cells] + [c["cpu_s"] for c in cells])
    ax.set_ylabel("seconds (median)")
    ax.legend(fontsize=8)
    return "CPU vs wall"


if __name__ == "__main__":
    common.run(lambda: common.per_group_main(
        __doc__, "cpu", draw,
        keep=lambda c: c["median_wall_s"] is not None and c["cpu_s"] is not None))
