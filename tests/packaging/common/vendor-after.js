/* A library after global.js in the same bundle. */
window.vendorAfter = typeof window.SPiD === 'object' && window.vendorBefore() === 'before';
