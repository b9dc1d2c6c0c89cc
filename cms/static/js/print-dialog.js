// Opens the print dialog once the print view has loaded (only included for ?print=1).
window.addEventListener("load", function () { window.print(); });
