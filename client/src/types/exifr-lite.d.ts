/** exifr's lite build (JPEG/HEIC, EXIF and GPS only) has the same API as the full one. */
declare module 'exifr/dist/lite.esm.mjs' {
  import exifr from 'exifr';
  export default exifr;
}
