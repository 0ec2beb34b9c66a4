/**
 * Recording a voice note (R9): the microphone button starts a MediaRecorder with
 * a running timer, in a format the browser supports (model/voice.ts: AAC in MP4
 * where available, Opus in WebM, …); "Parar" stops it at any time and hands the
 * recording and its measured length to `onRecorded`, which shows it for playback,
 * "Descartar áudio" or "Enviar". The microphone is released as soon as it stops.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { formatDuration } from "../model/files";
import { pickVoiceType, voiceFile } from "../model/voice";
import { t } from "../i18n";
import { MicIcon, StopIcon } from "./icons";
import { IconButton } from "./IconButton";

type Recording = { recorder: MediaRecorder; stream: MediaStream; startedAt: number; chunks: Blob[] };

export function VoiceRecorder({
  onRecorded,
  onError,
}: {
  onRecorded(file: File, durationMs: number): void;
  onError(message: string): void;
}) {
  const [rec, setRec] = useState<Recording | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const stopButton = useRef<HTMLButtonElement>(null);
  const live = useRef<Recording | null>(null);

  useEffect(() => {
    if (!rec) return;
    stopButton.current?.focus();
    const tick = setInterval(() => setElapsed(Date.now() - rec.startedAt), 200);
    return () => clearInterval(tick);
  }, [rec]);

  // Leaving the chat mid-recording drops the recording and frees the microphone.
  useEffect(
    () => () => {
      const r = live.current;
      if (r && r.recorder.state !== "inactive") {
        r.recorder.onstop = null;
        r.recorder.stop();
      }
      r?.stream.getTracks().forEach((tr) => tr.stop());
    },
    [],
  );

  async function start() {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      return onError(t.micDenied);
    }
    const wanted = pickVoiceType((type) => MediaRecorder.isTypeSupported(type));
    let recorder: MediaRecorder;
    try {
      recorder = wanted ? new MediaRecorder(stream, { mimeType: wanted }) : new MediaRecorder(stream);
    } catch {
      // A type said to be supported that the recorder still refuses: its own default.
      recorder = new MediaRecorder(stream);
    }
    const r: Recording = { recorder, stream, startedAt: Date.now(), chunks: [] };
    recorder.ondataavailable = (e) => e.data.size > 0 && r.chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((tr) => tr.stop());
      const durationMs = Date.now() - r.startedAt;
      live.current = null;
      setRec(null);
      setElapsed(0);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, "-");
      const { type, name } = voiceFile(recorder.mimeType || r.chunks[0]?.type || wanted || "", stamp);
      onRecorded(new File(r.chunks, name, { type }), durationMs);
    };
    recorder.start(250);
    live.current = r;
    setRec(r);
  }

  if (!rec) {
    return (
      <IconButton label={t.recordAudio} onClick={() => void start()}>
        <MicIcon />
      </IconButton>
    );
  }
  return (
    <div class="recording" role="group" aria-label={t.recording}>
      <span class="rec-dot" aria-hidden="true" />
      <span class="rec-time" role="timer" aria-label={t.recording}>
        {formatDuration(elapsed)}
      </span>
      <button ref={stopButton} type="button" class="button secondary" onClick={() => rec.recorder.stop()}>
        <StopIcon size={16} /> {t.stopRecording}
      </button>
    </div>
  );
}
