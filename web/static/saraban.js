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
  // being typed stays); stop when it is made or has failed, or after 5 minutes. The page that
  // walks through several memos has one print per memo, each polled on its own.
  for (const printPages of document.querySelectorAll(".print-pages[data-state=making]")) pollPrint(printPages);
  // The proofreading report being made by the memo's flow: ask for it every 3 s and put it in
  // place when it is made (no reload: a PIN or a minute being typed stays); at most 5 minutes.
  const proofreadCard = document.getElementById("proofread-card");
  if (proofreadCard && proofreadCard.dataset.state === "making") {
    replaceWhenMade(proofreadCard, "#proofread-card", 3000, 100, () => {});
  }
  // Common minutes: a click puts the text into the minute box.
  for (const chip of document.querySelectorAll("button[data-minute]")) {
    chip.addEventListener("click", () => { document.getElementById("minute").value = chip.dataset.minute; });
  }
  draftingForm(document.getElementById("memo-form"));
  // A PDF being made in the background: show its state every 2 s (for at most 5 minutes). When
  // it is done the page is not reloaded (a minute or PIN being typed would be lost): a link does.
  const pdfStatus = document.getElementById("pdf-status");
  if (pdfStatus && pdfStatus.dataset.state === "running") {
    let polls = 0;
    const poll = async () => {
      polls += 1;
      try {
        const answer = await (await fetch(pdfStatus.dataset.statusUrl, { credentials: "same-origin" })).json();
        pdfStatus.textContent = answer.text;
        pdfStatus.className = `pdf-status ${answer.state}`;
        if (answer.state !== "running") {
          const reload = document.createElement("a");
          reload.href = window.location.pathname + "#files";
          reload.textContent = " โหลดหน้าใหม่เพื่อดูไฟล์ (reload to see the files)";
          reload.addEventListener("click", () => window.location.reload());
          pdfStatus.append(reload);
          return;
        }
      } catch (error) { /* the network blinked: ask again */ }
      if (polls < 150) setTimeout(poll, 2000);
    };
    setTimeout(poll, 1000);
  }
});

// The memo form: only the announcement fields of the chosen kind are shown, and the preview of
// the memo and the announcement follows the typing (the server renders it from the same contexts
// as the documents). Without JavaScript both sets of fields show and "ดูตัวอย่าง" previews.
function draftingForm(form) {
  if (!form) return;
  const kind = form.querySelector("#template");
  const general = form.querySelector("#general-fields");
  const template = form.querySelector("#template-fields");
  const showKind = () => {
    if (!kind || !general || !template) return;
    const isGeneral = kind.value === general.dataset.kind;
    general.hidden = !isGeneral;
    template.hidden = isGeneral;
  };
  if (kind) kind.addEventListener("change", showKind);
  showKind();
  const target = document.getElementById("preview-content");
  if (!target || !form.dataset.previewUrl) return;
  let timer = null;
  let asked = 0;
  const refresh = async () => {
    const body = new FormData(form);
    body.delete("pin"); // the preview needs no secret
    body.delete("submission_key");
    // Files are sent once, with the form: the preview lists the chosen ones by name only.
    for (const [name, value] of [...body.entries()]) {
      if (value instanceof File) {
        body.delete(name);
        if (value.name) body.set(`${name}_chosen`, value.name);
      }
    }
    const number = ++asked;
    try {
      const answer = await fetch(form.dataset.previewUrl, { method: "POST", body, credentials: "same-origin" });
      if (answer.ok && number === asked) target.innerHTML = await answer.text();
    } catch (error) { /* offline for a moment: the next keystroke asks again */ }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 600); };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
}


function pollPrint(printPages) {
  replaceWhenMade(printPages, ".print-pages", 2000, 150, (fresh) => {
    // The fragment names its parts as the memo page does: keep this page's names.
    const own = printPages.id.replace(/-pages$/, ""), theirs = fresh.id.replace(/-pages$/, "");
    if (own !== theirs) for (const part of fresh.querySelectorAll("[id]")) part.id = part.id.replace(theirs, own);
    fresh.id = printPages.id;
    // The text was opened only because the print was not there yet (a phone scrolls past it).
    const text = document.querySelector("details[data-fold-when-printed]");
    if (text && fresh.dataset.state === "ready") text.open = false;
  });
}

// Something the server is still making (`data-state="making"`, its fragment at `data-poll`): ask
// every `everyMs` and, once the fragment's `selector` says it is made (or failed), put it in the
// element's place (`placed` adjusts it first); at most `maxTries` asks.
function replaceWhenMade(element, selector, everyMs, maxTries, placed) {
  let tries = 0;
  const ask = async () => {
    tries += 1;
    try {
      const response = await fetch(element.dataset.poll, { credentials: "same-origin" });
      if (response.ok) {
        const holder = document.createElement("div");
        holder.innerHTML = await response.text();
        const fresh = holder.querySelector(selector);
        if (fresh && fresh.dataset.state !== "making") {
          placed(fresh);
          element.replaceWith(fresh);
          return;
        }
      }
    } catch (error) { /* the network blinked: the next ask, or the reload link, will do */ }
    if (tries < maxTries) setTimeout(ask, everyMs);
  };
  setTimeout(ask, 2000);
}
