// Progressive enhancement for the import progress page: without JavaScript the page has a
// "Check progress" button; with it, the bar moves by itself and the page reloads when done.
const box = document.querySelector("[data-progress-url]");

if (box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const format = new Intl.NumberFormat("en-GB");

  const poll = async () => {
    const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const progress = await response.json();
    if (progress.finished || progress.status === "checked") {
      window.location.reload();
      return;
    }
    if (progress.rows_total) {
      bar.max = progress.rows_total;
      bar.value = progress.rows_done;
      text.textContent = `${format.format(progress.rows_done)} of ${format.format(progress.rows_total)} rows`;
    } else {
      text.textContent = `${format.format(progress.rows_done)} rows so far`;
    }
    window.setTimeout(poll, 2000);
  };

  window.setTimeout(poll, 2000);
}
