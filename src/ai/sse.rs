//! Incremental Server-Sent Events parser (the subset providers use: `event:`,
//! `data:`, comments, blank-line dispatch; LF or CRLF line ends). Bytes go in
//! as they arrive, whole events come out; a line split across network chunks
//! is kept until its end arrives.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub event: String,
    pub data: String,
}

/// A provider never sends a line this long; more means a broken stream.
const MAX_PENDING: usize = 4 * 1024 * 1024;

#[derive(Default)]
pub struct Parser {
    pending: Vec<u8>,
    event: String,
    data: Vec<String>,
}

impl Parser {
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Event>) -> Result<(), String> {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(rel) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let end = start + rel;
            let mut line = &self.pending[start..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let line = String::from_utf8_lossy(line).into_owned();
            start = end + 1;
            self.line(&line, out);
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_PENDING {
            return Err("an event-stream line exceeds 4 MiB".into());
        }
        Ok(())
    }

    /// End of stream: an event not yet terminated by a blank line still counts.
    pub fn finish(&mut self, out: &mut Vec<Event>) {
        if !self.pending.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).trim_end_matches('\r').to_owned();
            self.line(&line, out);
        }
        self.line("", out);
    }

    fn line(&mut self, line: &str, out: &mut Vec<Event>) {
        if line.is_empty() {
            if !self.data.is_empty() {
                out.push(Event { event: std::mem::take(&mut self.event), data: self.data.join("\n") });
                self.data.clear();
            }
            self.event.clear();
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => self.data.push(value.to_owned()),
            _ => {}
        }
    }
}
