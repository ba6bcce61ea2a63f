//! HTML to text (placeholder until the full stripper lands).

pub fn html_to_text(html: &str) -> String {
    html.to_string()
}
