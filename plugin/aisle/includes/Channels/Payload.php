<?php
/**
 * Meta's webhook bodies as a flat list of events. Unknown fields are ignored; what the assistant
 * cannot read (images, audio, locations, stickers) becomes an 'unsupported' event that gets a polite
 * answer; status callbacks and reactions are recorded, never answered.
 *
 * Shapes: WhatsApp Cloud API (object whatsapp_business_account, entry[].changes[].value.messages[],
 * .statuses[], .contacts[].profile.name); Messenger (object page) and Instagram (object instagram),
 * entry[].messaging[] with sender.id, message.mid, message.text, postback, delivery, read.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

defined( 'ABSPATH' ) || exit;

final class Payload {

	/** The `object` each channel's webhook carries. */
	public const OBJECTS = array(
		'whatsapp'  => 'whatsapp_business_account',
		'messenger' => 'page',
		'instagram' => 'instagram',
	);

	/**
	 * @return list<array{kind: string, from: string, id: string, time: int, text?: string, type?: string, name?: string, status?: string, error?: string}>|null
	 *         null when the body is not this channel's webhook.
	 * @param string $account The configured phone number ID / Page ID / Instagram account ID: deliveries
	 *                        for another number or page of the same Meta app are not ours to answer.
	 */
	public static function events( string $channel, array $body, string $account = '' ): ?array {
		if ( ( $body['object'] ?? null ) !== self::OBJECTS[ $channel ] || ! is_array( $body['entry'] ?? null ) ) {
			return null;
		}
		$out = array();
		foreach ( $body['entry'] as $entry ) {
			if ( ! is_array( $entry ) ) {
				continue;
			}
			if ( 'whatsapp' === $channel ) {
				foreach ( (array) ( $entry['changes'] ?? array() ) as $change ) {
					if ( ! is_array( $change ) || ! is_array( $change['value'] ?? null ) ) {
						continue;
					}
					$to = $change['value']['metadata']['phone_number_id'] ?? '';
					if ( '' !== $account && is_scalar( $to ) && '' !== (string) $to && (string) $to !== $account ) {
						continue;
					}
					array_push( $out, ...self::whatsapp( $change['value'] ) );
				}
			} else {
				if ( '' !== $account && isset( $entry['id'] ) && is_scalar( $entry['id'] ) && (string) $entry['id'] !== $account ) {
					continue;
				}
				foreach ( (array) ( $entry['messaging'] ?? array() ) as $m ) {
					if ( is_array( $m ) && ( $e = self::messaging( $m ) ) ) {
						$out[] = $e;
					}
				}
			}
		}
		return $out;
	}

	private static function str( mixed $v, int $max = 191 ): string {
		return is_string( $v ) || is_int( $v ) ? mb_substr( (string) $v, 0, $max ) : '';
	}

	private static function whatsapp( array $value ): array {
		$names = array();
		foreach ( (array) ( $value['contacts'] ?? array() ) as $c ) {
			if ( is_array( $c ) && '' !== self::str( $c['wa_id'] ?? null ) ) {
				$names[ self::str( $c['wa_id'] ) ] = self::str( $c['profile']['name'] ?? null, 100 );
			}
		}
		$out = array();
		foreach ( (array) ( $value['messages'] ?? array() ) as $m ) {
			if ( ! is_array( $m ) ) {
				continue;
			}
			$from = preg_replace( '/\D+/', '', self::str( $m['from'] ?? null, 32 ) );
			$id   = self::str( $m['id'] ?? null );
			if ( '' === $from || '' === $id ) {
				continue;
			}
			$type = self::str( $m['type'] ?? null, 32 );
			$e    = array( 'kind' => 'message', 'from' => $from, 'id' => $id, 'time' => (int) ( $m['timestamp'] ?? 0 ), 'type' => $type, 'name' => $names[ $from ] ?? '' );
			if ( 'text' === $type && '' !== trim( self::str( $m['text']['body'] ?? null, 4096 ) ) ) {
				$e['text'] = self::str( $m['text']['body'], 4096 );
			} elseif ( 'button' === $type && '' !== self::str( $m['button']['text'] ?? null ) ) {
				$e['text'] = self::str( $m['button']['text'], 1000 );
			} elseif ( 'interactive' === $type && is_array( $m['interactive'] ?? null ) ) {
				$reply     = $m['interactive']['button_reply'] ?? $m['interactive']['list_reply'] ?? array();
				$e['text'] = self::str( $reply['title'] ?? null, 1000 );
			} elseif ( 'reaction' === $type ) {
				$e['kind'] = 'reaction';
			}
			if ( 'message' === $e['kind'] && '' === ( $e['text'] ?? '' ) ) {
				$e['kind'] = 'unsupported';
			}
			$out[] = $e;
		}
		foreach ( (array) ( $value['statuses'] ?? array() ) as $s ) {
			if ( is_array( $s ) && '' !== self::str( $s['id'] ?? null ) ) {
				$err   = is_array( $s['errors'][0] ?? null ) ? $s['errors'][0] : array();
				$out[] = array(
					'kind'   => 'status',
					'from'   => preg_replace( '/\D+/', '', self::str( $s['recipient_id'] ?? null, 32 ) ),
					'id'     => self::str( $s['id'] ),
					'time'   => (int) ( $s['timestamp'] ?? 0 ),
					'status' => self::str( $s['status'] ?? null, 16 ),
					'error'  => $err ? trim( self::str( $err['code'] ?? null, 12 ) . ' ' . self::str( $err['title'] ?? $err['message'] ?? null, 200 ) ) : '',
				);
			}
		}
		return $out;
	}

	private static function messaging( array $m ): ?array {
		$from = self::str( $m['sender']['id'] ?? null, 64 );
		$time = intdiv( is_numeric( $m['timestamp'] ?? null ) ? (int) $m['timestamp'] : 0, 1000 ); // Messenger and Instagram send milliseconds.
		if ( '' === $from ) {
			return null;
		}
		if ( is_array( $m['message'] ?? null ) ) {
			$msg = $m['message'];
			// Our own replies come back as echoes: answering them would loop.
			if ( ! empty( $msg['is_echo'] ) || ! empty( $msg['is_deleted'] ) ) {
				return null;
			}
			$id = self::str( $msg['mid'] ?? null );
			if ( '' === $id ) {
				return null;
			}
			$text = self::str( $msg['text'] ?? null, 2000 );
			$e    = array( 'kind' => 'message', 'from' => $from, 'id' => $id, 'time' => $time, 'type' => 'text' );
			if ( '' === trim( $text ) ) {
				$e['kind'] = 'unsupported';
				$e['type'] = self::str( $msg['attachments'][0]['type'] ?? null, 32 ) ?: 'unknown';
			} else {
				$e['text'] = $text;
			}
			return $e;
		}
		if ( is_array( $m['postback'] ?? null ) ) {
			$title = self::str( $m['postback']['title'] ?? null, 1000 );
			$id    = self::str( $m['postback']['mid'] ?? null ) ?: 'postback:' . $from . ':' . (int) ( $m['timestamp'] ?? 0 );
			return '' === $title ? null : array( 'kind' => 'message', 'from' => $from, 'id' => $id, 'time' => $time, 'type' => 'postback', 'text' => $title );
		}
		if ( is_array( $m['reaction'] ?? null ) ) {
			return array( 'kind' => 'reaction', 'from' => $from, 'id' => 'reaction:' . self::str( $m['reaction']['mid'] ?? null ), 'time' => $time );
		}
		if ( is_array( $m['delivery'] ?? null ) || is_array( $m['read'] ?? null ) ) {
			$mids = (array) ( $m['delivery']['mids'] ?? array() );
			return array( 'kind' => 'status', 'from' => $from, 'id' => self::str( $mids[0] ?? null ), 'time' => $time, 'status' => isset( $m['read'] ) ? 'read' : 'delivered', 'error' => '' );
		}
		return null;
	}
}
