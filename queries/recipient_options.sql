-- Sets the variable recipient_options: the channel order, the age under which a person is a
-- minor, the notification date that age is taken at, and the default language.
-- Parameters: $channels, $minor_age, $notification_date, $default_language
SET VARIABLE recipient_options = {
    'channels': CAST($channels AS VARCHAR[]),
    'minor_age': CAST($minor_age AS INTEGER),
    'notification_date': CAST($notification_date AS DATE),
    'default_language': CAST($default_language AS VARCHAR)
};
