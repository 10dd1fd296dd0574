// The "analytics" script every bench page gates behind consent: it only records when it ran.
window.gatedRanAt = performance.now();
