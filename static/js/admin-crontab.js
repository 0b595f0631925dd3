// The periodic task page (django-celery-beat): beside the crontab picker,
// the chosen schedule in words, in Vietnamese (the words come from the page).
(function () {
    "use strict";
    const data = document.getElementById("readable-crontabs");
    const picker = document.getElementById("id_crontab");
    if (!data || !picker) {
        return;
    }
    const inWords = JSON.parse(data.textContent);
    const label = document.getElementById("crontab-in-words-label").textContent;
    const help = document.querySelector(".field-crontab .help");
    const line = document.createElement("div");
    if (help) {
        help.appendChild(line);
    }
    const translation = document.querySelector(".field-crontab_translation");
    if (translation) {
        translation.style.display = "none";
    }
    const show = function () {
        line.textContent = inWords[picker.value] ? label + " " + inWords[picker.value] : "";
    };
    picker.addEventListener("change", show);
    show();
})();
