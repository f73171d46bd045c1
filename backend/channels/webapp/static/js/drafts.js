// Reports kept on the device (IndexedDB) until they are sent: not yet written (step 2).
export async function flush() {
  return [];
}
