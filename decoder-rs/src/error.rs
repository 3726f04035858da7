//! The error type of every decoder in this crate.

use core::fmt;

/// Why a decode failed. Every variant that concerns the input carries the
/// byte offset at which the problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended before the declared content did.
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Offset at which more bytes were needed.
        byte_offset: u64,
        /// Bytes needed in total.
        expected: u64,
        /// Bytes available.
        actual: u64,
    },
    /// The input contradicts its own structure.
    Corrupt {
        /// What is wrong.
        reason: String,
        /// Where.
        byte_offset: u64,
    },
    /// The input is well formed but uses something this decoder does not
    /// support (an unknown type code, for instance).
    Unsupported {
        /// What is not supported.
        reason: String,
        /// Where.
        byte_offset: u64,
    },
    /// A declared size exceeds a safety limit; nothing was allocated.
    LimitExceeded {
        /// Which limit.
        reason: String,
        /// Where.
        byte_offset: u64,
    },
    /// The caller's arguments are inconsistent (not a property of the bytes).
    InvalidArgument(String),
}

impl DecodeError {
    /// A short machine-readable kind, mirrored by the TypeScript error classes.
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::Truncated { .. } => "truncated",
            DecodeError::Corrupt { .. } => "corrupt",
            DecodeError::Unsupported { .. } => "unsupported",
            DecodeError::LimitExceeded { .. } => "limit",
            DecodeError::InvalidArgument(_) => "argument",
        }
    }

    /// The byte offset of the problem, when it concerns the input.
    pub fn byte_offset(&self) -> Option<u64> {
        match self {
            DecodeError::Truncated { byte_offset, .. }
            | DecodeError::Corrupt { byte_offset, .. }
            | DecodeError::Unsupported { byte_offset, .. }
            | DecodeError::LimitExceeded { byte_offset, .. } => Some(*byte_offset),
            DecodeError::InvalidArgument(_) => None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated {
                what,
                byte_offset,
                expected,
                actual,
            } => write!(
                f,
                "Truncated {}: expected {} bytes, got {} (at byte {})",
                what, expected, actual, byte_offset
            ),
            DecodeError::Corrupt {
                reason,
                byte_offset,
            } => write!(f, "Corrupt input at byte {}: {}", byte_offset, reason),
            DecodeError::Unsupported {
                reason,
                byte_offset,
            } => write!(f, "Unsupported input at byte {}: {}", byte_offset, reason),
            DecodeError::LimitExceeded {
                reason,
                byte_offset,
            } => write!(f, "Limit exceeded at byte {}: {}", byte_offset, reason),
            DecodeError::InvalidArgument(reason) => write!(f, "Invalid argument: {}", reason),
        }
    }
}

impl std::error::Error for DecodeError {}
