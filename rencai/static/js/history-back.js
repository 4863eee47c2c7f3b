// "返回上一页" on error pages (a static file: the Content-Security-Policy forbids javascript: links).
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-history-back]");
  if (!link) return;
  event.preventDefault();
  history.back();
});
