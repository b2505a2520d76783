/** The one sleep: for polling loops with a deadline, never to time a test. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
