-- Per-agent broker users (Cloudify's agents.rabbitmq_username / rabbitmq_password): the RabbitMQ user a manager with
-- a management API made for the agent, and its password sealed with the manager's secret key (never in clear text).
-- 0012 belongs to a parallel change.
ALTER TABLE agents ADD COLUMN rabbitmq_username TEXT;
ALTER TABLE agents ADD COLUMN rabbitmq_password TEXT;
