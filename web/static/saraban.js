// The pages' few behaviours, in a file of their own: the Content-Security-Policy forbids inline
// script, and a minute typed into an onclick attribute would be code.
document.addEventListener("DOMContentLoaded", () => {
  // A form sent twice by a double click would act twice; the server also refuses to (submission keys).
  for (const form of document.querySelectorAll("form[data-submit-once]")) {
    form.addEventListener("submit", (event) => {
      // After the form's data is taken: a disabled button would not send its name and value.
      setTimeout(() => { for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true; }, 0);
    });
  }
  // Common minutes: a click puts the text into the minute box.
  for (const chip of document.querySelectorAll("button[data-minute]")) {
    chip.addEventListener("click", () => { document.getElementById("minute").value = chip.dataset.minute; });
  }
  // A PDF being made in the background: show its state every 2 s, then reload to list the files.
  const pdfStatus = document.getElementById("pdf-status");
  if (pdfStatus && pdfStatus.dataset.state === "running") {
    const poll = async () => {
      try {
        const answer = await (await fetch(pdfStatus.dataset.statusUrl, { credentials: "same-origin" })).json();
        pdfStatus.textContent = answer.text;
        pdfStatus.className = `pdf-status ${answer.state}`;
        if (answer.state !== "running") { window.location.reload(); return; }
      } catch (error) { /* the network blinked: ask again */ }
      setTimeout(poll, 2000);
    };
    setTimeout(poll, 1000);
  }
});
