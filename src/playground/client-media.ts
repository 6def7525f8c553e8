/**
 * @module
 * Browser code (served as-is, not run in the Worker) for the item's media: picking or dropping an image, uploading
 * or recording audio, uploading a video or recording one from the camera, and the ready example items. Recorded or
 * non-WAV audio is decoded with the Web Audio API and re-encoded as 16-bit PCM mono WAV, the one audio format the
 * audio adapter reads; a camera recording is sent as MediaRecorder writes it (WebM), which the video adapter reads.
 */
export const clientMedia = String.raw`
const media = { image: null, audio: null, video: null };

function encodeWav(buffer) {
  const samples = new Float32Array(buffer.length);
  for (let channel = 0; channel < buffer.numberOfChannels; channel++) {
    const data = buffer.getChannelData(channel);
    for (let i = 0; i < data.length; i++) samples[i] += data[i] / buffer.numberOfChannels;
  }
  const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const ascii = (offset, text) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF'); view.setUint32(4, 36 + samples.length * 2, true); ascii(8, 'WAVE');
  ascii(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, buffer.sampleRate, true); view.setUint32(28, buffer.sampleRate * 2, true);
  view.setUint16(32, 2, true); view.setUint16(34, 16, true); ascii(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, s)) * 0x7fff, true));
  return new Blob([view.buffer], { type: 'audio/wav' });
}

async function toWav(blob) {
  const context = new AudioContext();
  try {
    return encodeWav(await context.decodeAudioData(await blob.arrayBuffer()));
  } catch (error) {
    throw new Error('this audio could not be decoded by the browser (' + (error.message || error) + ')');
  } finally {
    void context.close();
  }
}

function setImage(file) {
  media.image = file;
  const preview = $('image-preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.hidden = !file;
  preview.src = file ? URL.createObjectURL(file) : '';
  preview.alt = file ? 'the image to classify' : '';
  $('image-name').textContent = file ? (file.name || 'image') + ', ' + file.size + ' bytes' : '';
}

// A recording or file of a kind (audio, video) as the item's, with its preview and its name and size.
function setMedia(kind, blob, name) {
  media[kind] = blob;
  const preview = $(kind + '-preview');
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.hidden = !blob;
  preview.src = blob ? URL.createObjectURL(blob) : '';
  $(kind + '-name').textContent = blob ? name + ', ' + blob.size + ' bytes' : '';
}
const setAudio = (blob, name) => setMedia('audio', blob, name);
const setVideo = (blob, name) => setMedia('video', blob, name);

async function pickAudio(file) {
  const wav = /^audio\/(x-)?wav/.test(file.type) ? file : await toWav(file);
  setAudio(wav, file.name);
}

// One recorder at a time: the microphone for audio, or the camera (with its sound) for video.
let recording = null;
async function toggleRecording(kind) {
  const button = $(kind === 'video' ? 'record-video' : 'record');
  const idle = button.textContent;
  if (recording) { if (recording.kind === kind) recording.recorder.stop(); return; }
  const stream = await navigator.mediaDevices.getUserMedia(kind === 'video' ? { video: true, audio: true } : { audio: true });
  const chunks = [];
  const recorder = new MediaRecorder(stream);
  recording = { kind, recorder };
  recorder.ondataavailable = (event) => chunks.push(event.data);
  recorder.onstop = () => {
    stream.getTracks().forEach((track) => track.stop());
    recording = null;
    button.textContent = idle;
    button.setAttribute('aria-pressed', 'false');
    const blob = new Blob(chunks, { type: (chunks[0] && chunks[0].type) || recorder.mimeType });
    if (kind === 'video') setVideo(blob, 'recording.webm');
    else run(async () => setAudio(await toWav(blob), 'recording.wav'));
  };
  recorder.start();
  button.textContent = 'Stop recording';
  button.setAttribute('aria-pressed', 'true');
}

// "Mixed" says red in words and shows blue, so the strategies and weights visibly decide between them.
const exampleColours = { red: '#d01010', blue: '#1030d0', mixed: '#1030d0' };
const exampleTexts = { red: 'a ripe red apple', blue: 'a clear blue sky', mixed: 'a ripe red apple' };
function exampleItem(name) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 224;
  const context = canvas.getContext('2d');
  context.fillStyle = '#f4f0e8'; context.fillRect(0, 0, 224, 224);
  context.fillStyle = exampleColours[name]; context.beginPath(); context.arc(112, 112, 80, 0, 2 * Math.PI); context.fill();
  $('text').value = exampleTexts[name];
  canvas.toBlob((blob) => setImage(new File([blob], name + '.png', { type: 'image/png' })), 'image/png');
}

function wireMedia() {
  $('image').addEventListener('change', (event) => setImage(event.target.files[0] || null));
  $('audio').addEventListener('change', (event) => {
    const file = event.target.files[0];
    if (file) run(() => pickAudio(file)); else setAudio(null, '');
  });
  const drop = $('image-drop');
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer.files[0];
    if (file) setImage(file);
  });
  $('record').addEventListener('click', () => run(() => toggleRecording('audio')));
  $('video').addEventListener('change', (event) => {
    const file = event.target.files[0];
    setVideo(file || null, file ? file.name : '');
  });
  $('record-video').addEventListener('click', () => run(() => toggleRecording('video')));
  document.querySelectorAll('[data-example]').forEach((button) =>
    button.addEventListener('click', () => exampleItem(button.dataset.example)));
  $('clear').addEventListener('click', () => {
    $('text').value = ''; $('image').value = ''; $('audio').value = ''; $('video').value = '';
    setImage(null); setAudio(null, ''); setVideo(null, '');
  });
}
`;
