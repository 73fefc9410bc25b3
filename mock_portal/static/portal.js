// The portal works without JavaScript (every action is a plain form); this script adds the
// behaviour a person expects in a browser: row selection, modal confirmation, auto-submit, il -> ilçe.

// Menu disclosure buttons: open and close the submenu they control.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) return;
  const sub = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  sub.hidden = !open;
});

// Fallback controls for browsers without JavaScript ("Uygula", "İlçeleri Getir") are removed, so
// that a person with JavaScript sees one way to do each thing (and Enter never hits them).
document.querySelectorAll(".no-js-only").forEach((el) => el.remove());

// Selectable table rows: a click (or Enter/Space) on a row selects it and checks its radio, which
// is what the buttons above the table submit.
function selectRow(row) {
  const table = row.closest("table.selectable");
  table.querySelectorAll("tbody tr").forEach((other) => other.setAttribute("aria-selected", "false"));
  row.setAttribute("aria-selected", "true");
  const radio = row.querySelector(".row-radio");
  if (radio) radio.checked = true;
}

document.addEventListener("click", (event) => {
  const row = event.target.closest("table.selectable tbody tr");
  if (row) selectRow(row);
});

document.addEventListener("keydown", (event) => {
  const row = event.target.closest && event.target.closest("table.selectable tbody tr");
  if (!row) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    selectRow(row);
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    if (next) next.focus();
  }
});

// A page shown again after going back keeps the checked radio: show its row as selected too.
document.querySelectorAll("table.selectable .row-radio:checked").forEach((radio) => selectRow(radio.closest("tr")));

// "Tamamla" is refused until "Okudum Onaylıyorum" is ticked (the server refuses it as well).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const gate = form.dataset && form.dataset.gate;
  if (!gate || !event.submitter || event.submitter.value !== "tamamla") return;
  const box = document.getElementById(gate);
  const slot = document.getElementById(`${gate}-hata`);
  if (box.checked) return;
  event.preventDefault();
  slot.textContent = "Devam etmek için 'Okudum Onaylıyorum' kutusunu işaretleyiniz.";
  slot.setAttribute("role", "alert");
  box.setAttribute("aria-invalid", "true");
  box.focus();
});

document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.type !== "checkbox" || !box.checked) return;
  const slot = document.getElementById(`${box.id}-hata`);
  if (slot && box.closest("form[data-gate]")) {
    slot.textContent = "";
    slot.removeAttribute("role");
    box.removeAttribute("aria-invalid");
  }
});

// Confirmation dialogs: the opening form shows its <dialog> as a modal instead of reloading.
document.addEventListener("submit", (event) => {
  const opener = event.target.dataset && event.target.dataset.dialog;
  if (!opener) return;
  event.preventDefault();
  document.getElementById(opener).showModal();
});

document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-close-dialog]");
  if (!cancel) return;
  event.preventDefault();
  cancel.closest("dialog").close();
});

// A dialog the server rendered open (the no-JavaScript path, e.g. after a reload) becomes modal.
document.querySelectorAll("dialog[open]").forEach((dialog) => {
  dialog.close();
  dialog.showModal();
});

// "Sayfa Başına": a new page size applies at once.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
});

// "İl" -> "İlçe": the districts come from the portal after a province is chosen.
async function loadDistricts(form, il) {
  const ilce = form.querySelector("#ilce");
  ilce.replaceChildren(new Option("Seçiniz", ""));
  ilce.disabled = true;
  if (!il) return;
  ilce.setAttribute("aria-busy", "true");
  try {
    const url = `${form.dataset.districtsUrl}?il=${encodeURIComponent(il)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    if (form.querySelector("#il").value !== data.il) return; // a later choice already won
    data.ilceler.forEach((name) => ilce.add(new Option(name, name)));
    ilce.disabled = false;
  } finally {
    ilce.removeAttribute("aria-busy");
  }
}

document.addEventListener("change", (event) => {
  if (event.target.id !== "il") return;
  const form = event.target.closest("form[data-districts-url]");
  if (form) loadDistricts(form, event.target.value);
});

// Tabs: arrow keys move between them (Enter follows the focused tab's link).
document.addEventListener("keydown", (event) => {
  const tab = event.target.closest && event.target.closest('[role="tab"]');
  if (!tab || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) return;
  const tabs = [...tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]')];
  const step = event.key === "ArrowRight" ? 1 : -1;
  tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length].focus();
  event.preventDefault();
});
