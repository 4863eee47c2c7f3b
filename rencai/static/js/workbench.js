// 政策工作台: selecting words in the document's text fills the quote field (the server checks it is verbatim).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-quote-target]").forEach((box) => {
    const target = document.getElementById(box.dataset.quoteTarget);
    if (!target) return;
    const take = () => {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed || !box.contains(selection.anchorNode)) return;
      const words = selection.toString().trim();
      if (words) target.value = words;
    };
    box.addEventListener("mouseup", take);
    box.addEventListener("touchend", take);
    box.addEventListener("keyup", take);
  });
});
