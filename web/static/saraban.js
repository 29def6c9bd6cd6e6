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
  // The print being made: ask for its state every 2 s and put it in place (no reload: a minute
  // being typed stays); stop when it is made or has failed, or after 5 minutes.
  const printPages = document.getElementById("print-pages");
  if (printPages && printPages.dataset.state === "making") {
    let tries = 0;
    const poll = async () => {
      tries += 1;
      try {
        const response = await fetch(printPages.dataset.poll, { credentials: "same-origin" });
        if (response.ok) {
          const holder = document.createElement("div");
          holder.innerHTML = await response.text();
          const fresh = holder.querySelector("#print-pages");
          if (fresh && fresh.dataset.state !== "making") {
            document.getElementById("print-pages").replaceWith(fresh);
            return;
          }
        }
      } catch (error) { /* the next try, or the reload link, will do */ }
      if (tries < 150) setTimeout(poll, 2000);
    };
    setTimeout(poll, 2000);
  }
  // Common minutes: a click puts the text into the minute box.
  for (const chip of document.querySelectorAll("button[data-minute]")) {
    chip.addEventListener("click", () => { document.getElementById("minute").value = chip.dataset.minute; });
  }
});
