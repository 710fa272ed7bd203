export default defineBackground(() => {
  // Sync and portal messaging are wired here by the extension issue.
});
