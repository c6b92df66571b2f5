"""Grouped bars: median wall time per backend with 95% CI whiskers and the ideal time."""
import common


def draw(ax, cells):
    for i, c in enumerate(cells):
        if c["median_wall_s"] is None:  # no successful run: say why instead of a bar
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
    common.log_if_wide(ax, [c["median_wall_s"] for c in cells] + ideals)
    ax.set_ylabel("median wall time (s)")
    return ""


if __name__ == "__main__":
    common.run(lambda: common.per_group_main(__doc__, "bars", draw))
