//! The report's `audio` section: what the file is and holds.

use serde::{Deserialize, Serialize};

/// How the file stores its samples (the report's `audio.encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Encoding {
    /// Unsigned 8-bit PCM.
    PcmU8,
    /// Signed 16-bit PCM.
    PcmS16,
    /// Signed 24-bit PCM.
    PcmS24,
    /// Signed 32-bit PCM.
    PcmS32,
    /// IEEE 754 32-bit float.
    Float32,
    /// G.711 μ-law.
    Mulaw,
    /// G.711 A-law.
    Alaw,
    /// MPEG audio layer III (or I/II).
    Mp3,
    /// AAC.
    Aac,
    /// Vorbis.
    Vorbis,
    /// Opus.
    Opus,
    /// FLAC.
    Flac,
    /// IMA (DVI) ADPCM.
    ImaAdpcm,
    /// Microsoft ADPCM.
    MsAdpcm,
    /// GSM 06.10 full rate (RPE-LTP).
    Gsm,
}

impl Encoding {
    /// The report's name for the encoding, e.g. `"pcm_s16"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::PcmU8 => "pcm_u8",
            Encoding::PcmS16 => "pcm_s16",
            Encoding::PcmS24 => "pcm_s24",
            Encoding::PcmS32 => "pcm_s32",
            Encoding::Float32 => "float32",
            Encoding::Mulaw => "mulaw",
            Encoding::Alaw => "alaw",
            Encoding::Mp3 => "mp3",
            Encoding::Aac => "aac",
            Encoding::Vorbis => "vorbis",
            Encoding::Opus => "opus",
            Encoding::Flac => "flac",
            Encoding::ImaAdpcm => "ima_adpcm",
            Encoding::MsAdpcm => "ms_adpcm",
            Encoding::Gsm => "gsm",
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The file format holding the audio, recognised by its content (not its name).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Container {
    /// RIFF/WAVE.
    #[default]
    Wav,
    /// MPEG audio frames, with or without an ID3 tag.
    Mp3,
    /// ISO base media (MP4, M4A).
    Mp4,
    /// AAC in ADTS frames (`.aac`).
    Adts,
    /// Ogg.
    Ogg,
    /// Native FLAC.
    Flac,
    /// Raw GSM 06.10 frames (Asterisk's `.gsm`).
    Gsm,
    /// Samples handed over in memory (`audio::condition`), no file at all.
    Samples,
}

impl Container {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Container::Wav => "wav",
            Container::Mp3 => "mp3",
            Container::Mp4 => "m4a",
            Container::Adts => "aac",
            Container::Ogg => "ogg",
            Container::Flac => "flac",
            Container::Gsm => "gsm",
            Container::Samples => "",
        }
    }
}

impl std::fmt::Display for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Container::Mp4 => "MP4",
            Container::Adts => "ADTS",
            Container::Samples => "samples in memory",
            other => other.extension(),
        })
    }
}

/// What the file header says about the recording (the report's `audio` section).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[non_exhaustive]
pub struct AudioInfo {
    /// The file's sample rate in Hz.
    pub sample_rate_hz: u32,
    /// The file's channel count (the analysis uses their mean).
    pub channels: u16,
    /// The sample encoding (the codec).
    pub encoding: Encoding,
    /// The file format holding it.
    #[serde(default)]
    pub container: Container,
    /// Length of the whole file's audio in seconds (of what was read).
    pub duration_s: f64,
    /// The file holds less audio than its header claims (it was cut short); what it holds was
    /// analysed, and a notice says how much was claimed and how much read.
    #[serde(default)]
    pub truncated: bool,
}
