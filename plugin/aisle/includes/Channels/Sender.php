<?php
/**
 * One text message out through the extension's Graph client; the channel's token stays a Vault
 * envelope until the extension opens it for the call.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

use Aisle\Channels\GraphClient;

defined( 'ABSPATH' ) || exit;

final class Sender {

	public function __construct( private Config $config ) {}

	/**
	 * @return array{message_id: string, status: int}
	 * @throws \Aisle\ChannelException With httpStatus()/graphCode(); retryable() tells a retry from a stop.
	 */
	public function send( string $channel, string $to, string $text ): array {
		$client = new GraphClient( $this->config->graph_options() );
		$token  = Config::TOKEN[ $channel ];
		[ $envelope, $context ] = $this->config->secrets()->sealed( $token );
		return $client->send(
			$this->config->secrets()->vault(),
			$envelope,
			$context,
			array( 'channel' => $channel, 'sender_id' => $this->config->sender_id( $channel ), 'to' => $to, 'text' => $text )
		);
	}
}
