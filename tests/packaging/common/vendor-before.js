/* A library a vendor bundle carries before global.js; its last statement has no semicolon and no newline. */
window.vendorBefore = function () { return 'before' }