<?php
/**
 * Test site only (mu-plugin): the machine has no mail server, so every wp_mail() (WooCommerce's
 * order emails, Aisle's notifications) is recorded as one JSON line in AISLE_TEST_MAIL_LOG
 * instead of being sent. Tests read it through Harness::mails().
 */
add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, array $atts ) {
		if ( null !== $short_circuit || ! defined( 'AISLE_TEST_MAIL_LOG' ) ) {
			return $short_circuit;
		}
		$to = is_array( $atts['to'] ) ? $atts['to'] : explode( ',', (string) $atts['to'] );
		file_put_contents( AISLE_TEST_MAIL_LOG, wp_json_encode( array( 'to' => array_map( 'trim', $to ), 'subject' => $atts['subject'], 'message' => $atts['message'], 'headers' => $atts['headers'] ) ) . "\n", FILE_APPEND | LOCK_EX );
		return true;
	},
	10,
	2
);
