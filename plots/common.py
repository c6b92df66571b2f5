"""Shared by the chart scripts: reading summary.json, colours, file output."""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

# One colour per backend in every chart.
BACKEND_COLOURS = {
    "sync": "#7f7f7f",
    "threads": "#ff7f0e",
    "async": "#1f77b4",
    "async-mt": "#2ca02c",
    "pool": "#9467bd",
    "tbb": "#8c564b",
    "fibers": "#e377c2",
    "async-sharded": "#17becf",
}
EXTRA = ["#bcbd22", "#d62728", "#aec7e8", "#ffbb78"]


def colour(backend):
    if backend not in BACKEND_COLOURS:
        BACKEND_COLOURS[backend] = EXTRA[len(BACKEND_COLOURS) % len(EXTRA)]
    return BACKEND_COLOURS[backend]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["cells"]


def label(cell):
    """The backend, with the parameters it was given away from their defaults."""
    return cell["label"]


def params_text(params):
    return " ".join(f"{k}={v}" for k, v in params.items())


def groups(cells):
    """Cells by workload and workload parameters, in order."""
    out = {}
    for c in cells:
        out.setdefault(c["group"], []).append(c)
    return list(out.values())


def save(fig, out_dir, stem, index, entry):
    """Writes stem.png and stem.svg and records the chart in the index list."""
    os.makedirs(out_dir, exist_ok=True)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out_dir, f"{stem}.{ext}"), dpi=110)
    plt.close(fig)
    entry["file"] = f"{stem}.png"
    index.append(entry)


def write_index(out_dir, kind, index):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"index-{kind}.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=1)


def short(text, n=48):
    return text if len(text) <= n else text[: n - 1] + "…"


def log_if_wide(ax, values, axis="y", span=20):
    """A log scale when the values span `span` times or more."""
    values = [v for v in values if v and v > 0]
    if values and max(values) / min(values) >= span:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")


def arguments(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("summary", help="summary.json written by concbench")
    ap.add_argument("out", help="folder for the charts")
    return ap.parse_args()


def per_group_main(description, kind, draw, keep=lambda cell: True):
    """One chart per workload and parameter set: draw(ax, cells) draws the kept cells, one
    x position each, and returns what the title calls the chart ("" for nothing)."""
    args = arguments(description)
    index = []
    for n, cells in enumerate(groups(load(args.summary))):
        cells = [c for c in cells if keep(c)]
        if not cells:
            continue
        fig, ax = plt.subplots(figsize=(7, 4))
        what = draw(ax, cells)
        ax.set_xticks(range(len(cells)), [label(c) for c in cells], rotation=20, ha="right")
        title = f"{cells[0]['workload']}{' ' + what if what else ''}: {params_text(cells[0]['params'])}"
        ax.set_title(short(title, 80), fontsize=10)
        save(fig, args.out, f"{kind}-{cells[0]['workload']}-{n}", index,
             {"kind": kind, "group": cells[0]["group"], "workload": cells[0]["workload"],
              "title": title})
    write_index(args.out, kind, index)
