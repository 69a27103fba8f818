<!DOCTYPE html>
<html <?php language_attributes(); ?>><head><meta charset="utf-8"><?php wp_head(); ?></head>
<body <?php body_class(); ?>><h1><?php bloginfo( 'name' ); ?></h1><?php wp_footer(); ?></body></html>
