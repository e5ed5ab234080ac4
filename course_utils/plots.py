"""One plot style for the whole course, and a helper that insists on labels.

Figures are kept small (they are stored inside the notebooks) and every axis gets a
title and axis labels, so a figure read on its own still says what it shows.
"""
import matplotlib
import matplotlib.pyplot as plt

COURSE_STYLE = {
    "figure.figsize": (7.0, 3.2),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "image.cmap": "viridis",
    "axes.prop_cycle": matplotlib.cycler(
        color=["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]
    ),
}


def use_course_style():
    """Apply the course style to every figure made after this call."""
    plt.rcParams.update(COURSE_STYLE)


def label(ax, title, xlabel, ylabel, legend=None):
    """Give an axis its title and axis labels; add a legend when asked or when lines have labels.

    Raises ValueError if any of the three texts is empty: an unlabelled plot teaches little.
    """
    for name, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"label(): {name} must be a non-empty string, got {text!r}")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles, labels = ax.get_legend_handles_labels()
    if legend or (legend is None and any(not l.startswith("_") for l in labels)):
        ax.legend()
    return ax
