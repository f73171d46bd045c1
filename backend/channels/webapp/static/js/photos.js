// Photos for a report, made small in the browser before upload: the long side at most 1600 px,
// re-encoded as JPEG (which also leaves the camera's metadata behind), the picture turned upright
// as its EXIF orientation says.
export const MAX_SIDE = 1600;
export const QUALITY = 0.85;
export const MAX_PHOTOS = 5;

async function decode(file) {
  if ('createImageBitmap' in self) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      // fall through to an <img>, which some formats need
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

// A File (from the camera or the gallery) -> a JPEG Blob no larger than MAX_SIDE on its long side.
export async function resize(file, maxSide = MAX_SIDE, quality = QUALITY) {
  const image = await decode(file);
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff'; // a transparent PNG gets a white background, not black
  g.fillRect(0, 0, w, h);
  g.drawImage(image, 0, 0, w, h);
  if (image.close) image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  if (!blob) throw new Error('this picture could not be read');
  return { blob, width: w, height: h };
}
