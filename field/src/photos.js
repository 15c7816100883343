// Photos from the camera, made small on the phone before they are kept or sent: a
// village's signal carries a 300 kB JPEG, not a 6 MB original.
export const MAX_SIDE = 1600;
const QUALITY = 0.82;

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const address = URL.createObjectURL(file);
    image.onload = () => {
      URL.revokeObjectURL(address);
      resolve(image);
    };
    image.onerror = () => {
      URL.revokeObjectURL(address);
      reject(new Error("not an image"));
    };
    image.src = address;
  });
}

/** ``file`` as a JPEG no larger than MAX_SIDE on its long side (turned upright). */
export async function resize(file) {
  let source;
  let width;
  let height;
  try {
    source = await createImageBitmap(file, { imageOrientation: "from-image" });
    ({ width, height } = source);
  } catch {
    source = await loadImage(file);
    width = source.naturalWidth;
    height = source.naturalHeight;
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG turns white, not black, in a JPEG
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  if (source.close) source.close();
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error("no JPEG"))), "image/jpeg", QUALITY),
  );
  canvas.width = canvas.height = 0; // let iOS free the canvas memory now
  return blob;
}
