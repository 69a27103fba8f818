use serde_json::json;

use super::request::build_body;
use super::response::{error_message, parse_json, Stream};
use super::sse::Parser;
use super::*;

fn opts(provider: &str) -> Options {
    Options::from_json(&json!({"provider": provider, "model": "m", "base_url": "http://127.0.0.1:9/v1/"})).unwrap()
}

fn conversation() -> Vec<Message> {
    parse_messages(&json!([
        {"role": "system", "content": "facts"},
        {"role": "user", "content": "blue shirt?"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "name": "search_products", "arguments": {"q": "blue"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "[{\"id\":7}]"},
    ]))
    .unwrap()
}

#[test]
fn options_defaults_and_errors() {
    let o = opts("openai");
    assert_eq!((o.connect_timeout_ms, o.timeout_ms, o.max_tokens), (5000, 30000, 1024));
    assert_eq!(o.endpoint(), "http://127.0.0.1:9/v1/chat/completions");
    assert_eq!(opts("anthropic").endpoint(), "http://127.0.0.1:9/v1/messages");
    for bad in [json!({"provider": "x", "model": "m"}), json!({"provider": "openai"}), json!({"provider": "openai", "model": "m", "timeout": 5}),
        json!({"provider": "openai", "model": "m", "timeout_ms": 0}), json!({"provider": "openai", "model": "m", "base_url": "ftp://x"})] {
        assert_eq!(Options::from_json(&bad).unwrap_err().reason(), "bad_request", "{bad}");
    }
}

#[test]
fn openai_body_shape() {
    let tools = parse_tools(&json!([{"name": "search_products", "description": "d", "parameters": {"type": "object", "properties": []}}])).unwrap();
    let b = build_body(&opts("openai"), &conversation(), &tools, true);
    assert_eq!(b["messages"][2]["tool_calls"][0]["function"]["arguments"], "{\"q\":\"blue\"}");
    assert_eq!(b["messages"][3], json!({"role": "tool", "tool_call_id": "c1", "content": "[{\"id\":7}]"}));
    assert_eq!(b["tools"][0]["function"]["parameters"]["properties"], json!({}));
    assert_eq!(b["stream_options"]["include_usage"], true);
}

#[test]
fn anthropic_body_shape() {
    let b = build_body(&opts("anthropic"), &conversation(), &[], false);
    assert_eq!(b["system"], "facts");
    assert_eq!(b["messages"][0], json!({"role": "user", "content": "blue shirt?"}));
    assert_eq!(b["messages"][1]["content"][0], json!({"type": "tool_use", "id": "c1", "name": "search_products", "input": {"q": "blue"}}));
    assert_eq!(b["messages"][2]["content"][0]["type"], "tool_result");
    assert!(b.get("stream").is_none());
}

#[test]
fn bad_messages_are_bad_requests() {
    for m in [json!([]), json!([{"role": "robot", "content": "x"}]), json!([{"role": "tool", "content": "x"}]), json!([{"role": "user"}])] {
        assert_eq!(parse_messages(&m).unwrap_err().reason(), "bad_request", "{m}");
    }
    assert!(parse_tools(&json!([{"name": "has space"}])).is_err());
}

#[test]
fn json_responses() {
    let r = parse_json(Provider::OpenAi, br#"{"choices":[{"message":{"content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"get_product","arguments":"{\"id\":7}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}"#).unwrap();
    assert_eq!((r.stop_reason.as_str(), r.input_tokens, r.tool_calls[0].arguments["id"].as_i64()), ("tool_calls", 12, Some(7)));
    let r = parse_json(Provider::Anthropic, br#"{"content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":1}}"#).unwrap();
    assert_eq!((r.text.as_str(), r.stop_reason.as_str()), ("Hi", "end"));
    assert_eq!(parse_json(Provider::OpenAi, b"<html>").unwrap_err().reason(), "invalid_response");
    assert_eq!(parse_json(Provider::OpenAi, br#"{"choices":[{"message":{"tool_calls":[{"function":{"name":"x","arguments":"{oops"}}]}}]}"#).unwrap_err().reason(), "invalid_response");
    assert_eq!(error_message(br#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#), "slow down (rate_limit_error)");
}

fn run_stream(provider: Provider, wire: &str, split: usize) -> (Vec<String>, Result<ChatResult, AiError>) {
    let mut p = Parser::default();
    let mut s = Stream::new(provider);
    let mut deltas = Vec::new();
    let mut events = Vec::new();
    for chunk in wire.as_bytes().chunks(split) {
        p.feed(chunk, &mut events).unwrap();
    }
    p.finish(&mut events);
    for ev in &events {
        match s.apply(ev) {
            Ok(Some(d)) => deltas.push(d),
            Ok(None) => {}
            Err(e) => return (deltas, Err(e)),
        }
    }
    (deltas, s.finish())
}

#[test]
fn openai_stream_split_anywhere() {
    let wire = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r\n\r\n: keep-alive\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"function\":{\"name\":\"get_product\",\"arguments\":\"{\\\"id\\\"\"}}]}}]}\n\ndata: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":7}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}\n\ndata: [DONE]\n\n";
    for split in [1, 3, 7, 4096] {
        let (deltas, r) = run_stream(Provider::OpenAi, wire, split);
        let r = r.unwrap();
        assert_eq!(deltas.concat(), "Hello");
        assert_eq!((r.text.as_str(), r.stop_reason.as_str(), r.input_tokens, r.output_tokens), ("Hello", "tool_calls", 9, 4));
        assert_eq!(r.tool_calls[0].arguments, json!({"id": 7}));
    }
}

#[test]
fn anthropic_stream_and_errors() {
    let wire = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    let (deltas, r) = run_stream(Provider::Anthropic, wire, 5);
    let r = r.unwrap();
    assert_eq!((deltas, r.input_tokens, r.output_tokens, r.stop_reason.as_str()), (vec!["Hi".to_owned()], 11, 2, "end"));
    let (_, r) = run_stream(Provider::Anthropic, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", 4);
    assert_eq!(r.unwrap_err().reason(), "http_status");
    let (_, r) = run_stream(Provider::OpenAi, "data: {\"choices\":[{\"delta\":{\"content\":\"cut\"}}]}\n\n", 4);
    assert_eq!(r.unwrap_err().reason(), "invalid_response");
}
