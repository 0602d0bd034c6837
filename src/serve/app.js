// dateline serve: small conveniences on top of a page that works without them.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search");
  const sort = document.getElementById("sort");
  // A new order or date range searches at once.
  for (const field of [sort, document.getElementById("since"), document.getElementById("until")]) {
    if (field && form) field.addEventListener("change", () => form.requestSubmit());
  }
  // "/" goes to the search box, as on many search sites.
  const q = document.getElementById("q");
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && q && document.activeElement !== q) {
      event.preventDefault();
      q.focus();
      q.select();
    }
  });
  // Back to the results the reader came from, where there are any.
  const back = document.getElementById("back");
  if (back && document.referrer.startsWith(location.origin)) {
    back.addEventListener("click", (event) => {
      event.preventDefault();
      history.back();
    });
  }
});
